package dev.berth.manager.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bounded hand-over of bytes from a writing thread to a reading one, read as an {@link InputStream}: a layer's
 * bytes from its download to the unpacker (so a layer is unpacked while it downloads), an archive's from a gRPC
 * client stream to the importer. The writer {@link #write}s chunks and then {@link #finish()}es or {@link #fail}s;
 * the reader reads them in order. The bound makes a slow reader slow the writer (flow control, nothing buffered
 * beyond {@code capacity} chunks). When the reader gives up ({@link #close()}), writes are dropped, so the writer
 * runs to its own end (a download still completes into the content store; a client's stream is drained).
 *
 * <p>Not {@code PipedInputStream}: that one polls once a second and breaks when the writing thread ends, and each
 * gRPC message may arrive on another thread.
 */
public final class ChunkQueue extends InputStream {

    private static final byte[] END = new byte[0];
    private static final long WRITER_POLL_MILLIS = 100;

    private final String name;
    private final BlockingQueue<byte[]> chunks;
    private volatile boolean readerClosed;
    private volatile Exception failure;
    private byte[] current = new byte[0];
    private int pos;
    private boolean ended;

    /**
     * @param name     what the bytes are, for messages ({@code "layer sha256:…"}, {@code "import"})
     * @param capacity how many chunks may wait for the reader
     */
    public ChunkQueue(String name, int capacity) {
        this.name = name;
        this.chunks = new ArrayBlockingQueue<>(capacity);
    }

    /** Hands over a copy of {@code b[off, off+len)}; blocks while the reader is {@code capacity} chunks behind. */
    public void write(byte[] b, int off, int len) throws InterruptedIOException {
        if (len == 0) {
            return;
        }
        byte[] copy = new byte[len];
        System.arraycopy(b, off, copy, 0, len);
        put(copy);
    }

    /** The writer is done: the reader sees end of stream after the last chunk. */
    public void finish() throws InterruptedIOException {
        put(END);
    }

    /** The writer failed: the reader's next read throws an IOException caused by {@code cause}. */
    public void fail(Exception cause) {
        failure = cause;
        chunks.clear();
        chunks.offer(END);
    }

    /** Whether the reader has given up (writes are dropped). */
    public boolean readerClosed() {
        return readerClosed;
    }

    private void put(byte[] chunk) throws InterruptedIOException {
        try {
            while (!readerClosed) {
                if (chunks.offer(chunk, WRITER_POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(name + ": interrupted");
        }
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
                return eof();
            }
            try {
                current = chunks.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException(name + ": interrupted");
            }
            pos = 0;
            if (failure != null) {
                current = END;
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

    /** End of stream, or the writer's failure (again at every read, so that no reader takes it for an end). */
    private int eof() throws IOException {
        Exception failed = failure;
        if (failed != null) {
            throw new IOException(name + ": " + failed.getMessage(), failed);
        }
        return -1;
    }

    /** The reader gives up: what is queued is dropped, and so is whatever the writer writes from now on. */
    @Override
    public void close() {
        readerClosed = true;
        chunks.clear();
    }
}
