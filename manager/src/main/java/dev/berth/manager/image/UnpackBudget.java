package dev.berth.manager.image;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.manager.content.Descriptor;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What one unpack shares between the layers it applies at once: the unpacked bytes it may still apply (the limit
 * names the layer that took most of them), and its first failure, which stops the other layers' applies at their
 * next read.
 */
final class UnpackBudget {

    private final long limit;
    private final AtomicLong used = new AtomicLong();
    /** Each layer's share, so that the limit names the layer that took most of it, whichever read crossed it. */
    private final Map<Descriptor, AtomicLong> byLayer = new ConcurrentHashMap<>();
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();

    /** @param limit the uncompressed bytes all layers may have together, {@link Unpacker#UNLIMITED} for no bound */
    UnpackBudget(long limit) {
        this.limit = limit;
    }

    /** Records {@code e} as the unpack's failure unless one came first; answers whether it is the first. */
    boolean fail(Exception e) {
        return firstFailure.compareAndSet(null, e);
    }

    /** The unpack's first failure, or null. */
    Exception failure() {
        return firstFailure.get();
    }

    /** {@code tar} (layer's uncompressed bytes), counted against the limit and ending when the unpack failed. */
    InputStream counting(InputStream tar, Descriptor layer) {
        return new FilterInputStream(tar) {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                checkNotFailed(layer);
                int n = super.read(b, off, len);
                if (n > 0) {
                    take(n, layer);
                }
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                byte[] buf = new byte[(int) Math.min(Math.max(n, 0), 1 << 16)];
                int r = read(buf, 0, buf.length);
                return Math.max(r, 0);
            }
        };
    }

    private void checkNotFailed(Descriptor layer) throws InterruptedIOException {
        if (firstFailure.get() != null) {
            throw new InterruptedIOException("unpack layer " + layer.digest() + ": stopped, another layer failed");
        }
    }

    private void take(long n, Descriptor layer) {
        if (limit == Unpacker.UNLIMITED) {
            return;
        }
        byLayer.computeIfAbsent(layer, l -> new AtomicLong()).addAndGet(n);
        if (used.addAndGet(n) > limit) {
            Descriptor biggest = byLayer.entrySet().stream()
                    .max(Comparator.comparingLong(e -> e.getValue().get())).map(Map.Entry::getKey).orElse(layer);
            throw new BerthException(ErrorKind.RESOURCE_EXHAUSTED, "unpack layer " + biggest.digest()
                    + ": more than " + limit + " bytes unpacked (the limit on unpacked bytes)");
        }
    }
}
