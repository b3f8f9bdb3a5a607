package dev.berth.manager.service.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The bytes of a client stream as an InputStream for a reader on another thread. {@link #offer} blocks when the
 * reader is behind (a few chunks in flight), which holds back the gRPC stream: flow control without buffering
 * the archive. A pipe would not do: java.io's pipes fail once the writing thread has ended, and each message may
 * arrive on another thread.
 */
final class ChunkStream extends InputStream {

    private static final byte[] END = new byte[0];

    private final BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(8);
    private byte[] current = new byte[0];
    private int pos;
    private volatile IOException failure;
    private boolean ended;

    void offer(byte[] chunk) throws InterruptedException {
        if (chunk.length > 0) {
            chunks.put(chunk);
        }
    }

    void end() throws InterruptedException {
        chunks.put(END);
    }

    /** The client went away: the reader sees an IOException instead of a short archive. */
    void fail(IOException e) {
        failure = e;
        chunks.clear();
        chunks.offer(END);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (pos == current.length) {
            if (ended) {
                return -1;
            }
            try {
                current = chunks.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("import: interrupted");
            }
            pos = 0;
            if (failure != null) {
                throw failure;
            }
            if (current == END) {
                ended = true;
            }
        }
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        return n;
    }
}
