package dev.berth.manager.engine;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client attached to a container ({@link Engine#attach}): its stdin, with docker's detach keys scanned on a
 * terminal, the end of its stdin (the container's once no other attached client writes), and its detach.
 */
public final class Attachment implements AutoCloseable {
    private final String id;
    private final Attachments attachments;
    private final OutputListener listener;
    private final boolean stdinOnce;
    private final Runnable closeTaskStdin;
    private final DetachKeys detachKeys;
    private final AtomicBoolean writer;
    private volatile boolean detached;

    Attachment(String id, Attachments attachments, OutputListener listener, boolean stdinOnce,
               Runnable closeTaskStdin, DetachKeys detachKeys, boolean writer) {
        this.id = id;
        this.attachments = attachments;
        this.listener = listener;
        this.stdinOnce = stdinOnce;
        this.closeTaskStdin = closeTaskStdin;
        this.detachKeys = detachKeys;
        this.writer = new AtomicBoolean(writer);
    }

    public String id() {
        return id;
    }

    /**
     * Sends stdin; false if the container has none (no {@code -i}). On a terminal, the detach keys end the
     * attachment: {@link #detached()} then tells, and the client gets no more output.
     */
    public boolean stdin(byte[] data) throws IOException {
        if (detached) {
            return true;
        }
        if (detachKeys == null) {
            return attachments.writeStdin(data);
        }
        DetachKeys.Scan scan = detachKeys.scan(data);
        boolean written = scan.pass().length == 0 || attachments.writeStdin(scan.pass());
        if (scan.detach()) {
            detached = true;
            attachments.remove(listener);
            writer.set(false);
            attachments.closeWriter();
        }
        return written;
    }

    /** Whether the client's detach keys ended this attachment (the container runs on). */
    public boolean detached() {
        return detached;
    }

    /**
     * The client's stdin ended: the container's stdin closes once no other attached client writes to it (as
     * containerd's CloseIO after ctr's last writer).
     */
    public void closeStdin() {
        if (detached) {
            return;
        }
        boolean wasWriter = writer.getAndSet(false);
        if (!wasWriter || attachments.closeWriter()) {
            attachments.closeStdin();
            closeTaskStdin.run();
        }
    }

    @Override
    public void close() {
        attachments.remove(listener);
        if (stdinOnce && !detached) {
            closeStdin();
        } else if (writer.getAndSet(false)) {
            attachments.closeWriter();
        }
    }
}
