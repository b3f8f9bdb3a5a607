package dev.berth.manager.dockerapi.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;

/**
 * A request body read as it arrives: the connection's event loop {@link #offer}s the codec's chunks, the handler's
 * thread reads them. Backpressure: once {@link #HIGH_WATER} bytes wait unread, the connection stops reading from
 * its socket (so the client's writes block) until the reader has taken them down to half of it. A body the client
 * cuts short (the connection closes before its end) makes {@link #read} throw, after what did arrive.
 */
final class RequestBody extends InputStream {

    /** Bytes received but not yet read, past which the socket is no longer read. */
    static final int HIGH_WATER = 1 << 20;

    private final Runnable resume;
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private long queued;
    private boolean paused;
    private boolean ended;
    private IOException failure;
    private byte[] current = new byte[0];
    private int pos;

    /** @param resume asks the connection for more (called on the reader's thread; it must hand over to the loop) */
    RequestBody(Runnable resume) {
        this.resume = resume;
    }

    /** A chunk from the client; returns whether the connection should read on (false: wait for the reader). */
    synchronized boolean offer(byte[] chunk) {
        if (chunk.length > 0) {
            chunks.add(chunk);
            queued += chunk.length;
            notifyAll();
        }
        paused = queued >= HIGH_WATER;
        return !paused;
    }

    /** The body's last chunk came. */
    synchronized void end() {
        ended = true;
        notifyAll();
    }

    /** The connection ended before the body did. */
    synchronized void fail(IOException e) {
        if (!ended && failure == null) {
            failure = e;
            notifyAll();
        }
    }

    /** Whether the whole body arrived (the connection may then serve another request). */
    synchronized boolean complete() {
        return ended;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        boolean wake = false;
        int n;
        synchronized (this) {
            while (pos == current.length) {
                byte[] next = chunks.poll();
                if (next != null) {
                    current = next;
                    pos = 0;
                    queued -= next.length;
                    if (paused && queued < HIGH_WATER / 2) {
                        paused = false;
                        wake = true;
                    }
                } else if (ended) {
                    return -1;
                } else if (failure != null) {
                    throw failure;
                } else {
                    await(); // not paused: the loop reads on by itself
                }
            }
            n = Math.min(len, current.length - pos);
            System.arraycopy(current, pos, b, off, n);
            pos += n;
        }
        if (wake) {
            resume.run();
        }
        return n;
    }

    private void await() throws InterruptedIOException {
        try {
            wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("read request body: interrupted");
        }
    }
}
