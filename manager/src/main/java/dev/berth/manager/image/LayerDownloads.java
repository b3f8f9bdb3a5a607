package dev.berth.manager.image;

import dev.berth.api.errdefs.BerthException;
import dev.berth.manager.content.Descriptor;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The layer downloads of one pull: at most {@code limit} at once, started base layer first, on the given executor.
 * Each layer has a slot through which the unpacker, when that layer is the next to apply, asks for its bytes:
 * if the download has not started yet (or starts just then) it tees into a {@link LayerPipe} for the unpacker;
 * otherwise the unpacker waits for the blob's commit and reads it from the store.
 */
final class LayerDownloads {

    /** One layer's download, as the unpacker sees it. */
    static final class Slot implements BlobFetcher.TeeRequest {
        final Descriptor layer;
        private volatile boolean wanted;
        private final CompletableFuture<Optional<LayerPipe>> started = new CompletableFuture<>();
        private final CompletableFuture<Void> committed = new CompletableFuture<>();

        Slot(Descriptor layer) {
            this.layer = layer;
        }

        @Override
        public Optional<LayerPipe> pipe() {
            Optional<LayerPipe> p = wanted ? Optional.of(new LayerPipe()) : Optional.empty();
            started.complete(p);
            return p;
        }

        @Override
        public void declined() {
            started.complete(Optional.empty());
        }

        /** The unpacker is ready for this layer: its pipe if the download streams to it, else empty. */
        Optional<LayerPipe> request() throws IOException {
            wanted = true;
            return await(started);
        }

        /** Waits for the blob to be committed (or found present); rethrows the download's failure. */
        void awaitCommitted() throws IOException {
            await(committed);
        }
    }

    private final List<Slot> slots = new ArrayList<>();
    private final AtomicBoolean cancelled;

    /**
     * Starts the downloads. {@code firstWanted} is the layer the unpacker will apply first (-1 for none): it streams
     * to the unpacker from its first byte, since it is wanted before its download can start.
     */
    LayerDownloads(List<Descriptor> layers, BlobFetcher fetcher, Executor executor, int limit,
                   AtomicBoolean cancelled, PullProgress progress, int firstWanted) {
        this.cancelled = cancelled;
        Semaphore permits = new Semaphore(limit, true);
        for (Descriptor layer : layers) {
            Slot slot = new Slot(layer);
            slots.add(slot);
            progress.waiting(layer);
        }
        if (firstWanted >= 0 && firstWanted < slots.size()) {
            slots.get(firstWanted).wanted = true;
        }
        for (Slot slot : slots) {
            executor.execute(() -> run(slot, fetcher, permits));
        }
    }

    private void run(Slot slot, BlobFetcher fetcher, Semaphore permits) {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finish(slot, new InterruptedIOException("download " + slot.layer.digest() + ": interrupted"));
            return;
        }
        try {
            if (cancelled.get()) {
                finish(slot, new InterruptedIOException("download " + slot.layer.digest() + ": cancelled"));
                return;
            }
            fetcher.fetchBlob(slot.layer, slot);
            finish(slot, null);
        } catch (IOException | RuntimeException e) {
            cancelled.set(true);
            finish(slot, e);
        } finally {
            permits.release();
        }
    }

    private static void finish(Slot slot, Throwable failure) {
        slot.started.complete(Optional.empty());
        if (failure == null) {
            slot.committed.complete(null);
        } else {
            slot.committed.completeExceptionally(failure);
        }
    }

    Slot slot(int i) {
        return slots.get(i);
    }

    /** Waits for every download; rethrows the first failure (in layer order). */
    void awaitAll() throws IOException {
        for (Slot s : slots) {
            s.awaitCommitted();
        }
    }

    /** Stops the downloads (each stops at its next chunk and keeps its ingest) and waits until all have ended. */
    void cancelAndWait() {
        cancelled.set(true);
        for (Slot s : slots) {
            try {
                s.committed.get();
            } catch (ExecutionException e) {
                // the failure is the pull's to report, or a consequence of the cancel
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    static <T> T await(CompletableFuture<T> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("pull: interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof BerthException b) {
                throw b;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(cause.getMessage(), cause);
        }
    }
}
