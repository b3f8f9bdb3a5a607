package dev.berth.manager.engine;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The clients attached to one container (docker's attach fan-out): each receives the live output of the
 * container's current run, and the end of that run; stdin they send goes to the run's stdin. A client may attach
 * before the container starts ({@code run} and {@code start -a} do), and then receives the next run.
 */
final class Attachments {

    private static final Duration STDIN_WAIT = Duration.ofSeconds(10);

    private final List<OutputListener> listeners = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger writers = new java.util.concurrent.atomic.AtomicInteger();
    private volatile ProcessIo current;

    /** A client that writes stdin attached; true. */
    boolean openWriter() {
        writers.incrementAndGet();
        return true;
    }

    /** A client that wrote stdin ended or detached; true if it was the last one. */
    boolean closeWriter() {
        return writers.updateAndGet(n -> Math.max(0, n - 1)) == 0;
    }

    void add(OutputListener l) {
        listeners.add(l);
    }

    void remove(OutputListener l) {
        listeners.remove(l);
    }

    /** A new run's streams: its stdin receives what clients send from now on. */
    void running(ProcessIo io) {
        current = io;
    }

    void publish(OutputStreamKind stream, byte[] data) {
        for (OutputListener l : listeners) {
            l.output(stream, data);
        }
    }

    void ended(int exitCode) {
        current = null;
        for (OutputListener l : listeners) {
            listeners.remove(l);
            l.ended(exitCode);
        }
    }

    /** Sends {@code data} to the current run's stdin; false if it has none (not started, or no {@code -i}). */
    boolean writeStdin(byte[] data) throws IOException {
        Optional<OutputStream> in = stdin();
        if (in.isEmpty()) {
            return false;
        }
        in.get().write(data);
        in.get().flush();
        return true;
    }

    void closeStdin() {
        ProcessIo io = current;
        if (io != null) {
            io.closeStdin();
        }
    }

    /** The current run's stdin; waits a while for a run that is about to start (clients attach first). */
    private Optional<OutputStream> stdin() throws IOException {
        long deadline = System.nanoTime() + STDIN_WAIT.toNanos();
        ProcessIo io;
        while ((io = current) == null && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("write stdin: interrupted");
            }
        }
        return io == null ? Optional.empty() : io.stdin(STDIN_WAIT);
    }
}
