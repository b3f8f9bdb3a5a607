package dev.berth.manager.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bounded hand-over of a layer's bytes from the thread downloading it to the thread applying it, so that a
 * layer is unpacked while it downloads. The download writes chunks and then {@link #finish()}es or
 * {@link #fail}s; the applier reads them as an {@link InputStream}. The queue's bound makes a slow applier slow the
 * download rather than buffer the layer in memory. If the reader gives up ({@link InputStream#close()}), writes
 * are dropped, so the download still completes into the content store.
 *
 * <p>Not {@code PipedInputStream}: that one polls once a second and breaks when the writing thread ends.
 */
final class LayerPipe extends InputStream {

    private static final int CHUNKS = 64;
    private static final byte[] END = new byte[0];

    private final BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(CHUNKS);
    private volatile boolean readerClosed;
    private volatile Exception failure;
    private byte[] current = new byte[0];
    private int pos;
    private boolean ended;

    /** Hands over a copy of {@code b[off, off+len)}; blocks while the applier is {@code CHUNKS} chunks behind. */
    void write(byte[] b, int off, int len) throws InterruptedIOException {
        if (len == 0) {
            return;
        }
        byte[] copy = new byte[len];
        System.arraycopy(b, off, copy, 0, len);
        put(copy);
    }

    /** The download is complete: the reader sees end of stream after the last chunk. */
    void finish() throws InterruptedIOException {
        put(END);
    }

    /** The download failed: the reader's next read throws {@code cause}. */
    void fail(Exception cause) {
        failure = cause;
        chunks.clear();
        chunks.offer(END);
    }

    private void put(byte[] chunk) throws InterruptedIOException {
        try {
            while (!readerClosed) {
                if (chunks.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("layer pipe: interrupted");
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
                throw new InterruptedIOException("layer pipe: interrupted");
            }
            pos = 0;
            if (current == END) {
                ended = true;
            }
        }
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        return n;
    }

    private int eof() throws IOException {
        if (failure != null) {
            throw new DownloadFailed(failure);
        }
        return -1;
    }

    /** What a read throws once the writer failed; carries the download's own exception. */
    static final class DownloadFailed extends IOException {
        DownloadFailed(Exception cause) {
            super("layer download failed: " + cause.getMessage(), cause);
        }
    }

    /** If {@code e} comes from a failed download behind a pipe, throws that download's exception instead. */
    static void rethrowDownloadFailure(Throwable e) throws IOException {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DownloadFailed d) {
                if (d.getCause() instanceof IOException io) {
                    throw io;
                }
                if (d.getCause() instanceof RuntimeException r) {
                    throw r;
                }
            }
        }
    }

    @Override
    public void close() {
        readerClosed = true;
        chunks.clear();
    }
}
