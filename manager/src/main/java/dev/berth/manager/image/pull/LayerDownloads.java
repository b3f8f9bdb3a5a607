package dev.berth.manager.image.pull;

import dev.berth.manager.content.ContentStore;
import dev.berth.manager.content.Descriptor;
import dev.berth.manager.image.ChunkQueue;
import dev.berth.manager.image.LayerSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The layer downloads of one pull, and the unpacker's source of their bytes: at most {@code limit} downloads at
 * once, started base layer first, on the given executor. When the unpacker opens a layer whose download has not
 * started yet (or starts just then), the download tees into a {@link ChunkQueue} for it; otherwise the unpacker
 * waits for the blob's commit and reads it from the store. Either way it vouches for the bytes only once the blob
 * is committed ({@link #verify}). The unpacker may read several layers at once.
 *
 * <p>The first failure is the pull's: the download (or the unpack, through {@link #stop}) that fails first is
 * recorded and cancels the others, and their failures, being consequences, never replace it.
 */
final class LayerDownloads implements LayerSource {

    private static final int QUEUED_CHUNKS = 64;

    /** One layer's download, as the unpacker sees it. */
    static final class Slot implements BlobDownloader.TeeRequest {
        final Descriptor layer;
        private volatile boolean wanted;
        private boolean released;
        private ChunkQueue queue;
        private final CompletableFuture<Optional<ChunkQueue>> started = new CompletableFuture<>();
        private final CompletableFuture<Void> committed = new CompletableFuture<>();

        Slot(Descriptor layer) {
            this.layer = layer;
        }

        @Override
        public synchronized Optional<ChunkQueue> queue() {
            Optional<ChunkQueue> q = Optional.empty();
            if (wanted && !released) {
                queue = new ChunkQueue("layer " + layer.digest(), QUEUED_CHUNKS);
                q = Optional.of(queue);
            }
            started.complete(q);
            return q;
        }

        /**
         * The unpacker is done with this layer (applied, skipped because its chain exists, or given up): a queue
         * nobody reads any more must not hold the download back.
         */
        synchronized void release() {
            released = true;
            if (queue != null) {
                queue.close();
            }
        }

        synchronized void fail(Exception failure) {
            if (queue != null) {
                queue.fail(failure);
            }
        }

        @Override
        public void declined() {
            started.complete(Optional.empty());
        }
    }

    private final List<Slot> slots = new ArrayList<>();
    private final ContentStore content;
    private final PullProgress progress;
    private final AtomicBoolean cancelled;
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();

    /**
     * Starts the downloads. Layers {@code firstWanted} to {@code firstWanted + wanted - 1} are those the unpacker
     * applies first ({@code wanted} is 0 for no unpack): they stream to it from their first byte, since they are
     * wanted before their downloads can start.
     */
    LayerDownloads(List<Descriptor> layers, BlobDownloader downloader, ContentStore content, Executor executor,
                   int limit, AtomicBoolean cancelled, PullProgress progress, int firstWanted, int wanted) {
        this.content = content;
        this.progress = progress;
        this.cancelled = cancelled;
        Semaphore permits = new Semaphore(limit, true);
        for (Descriptor layer : layers) {
            slots.add(new Slot(layer));
            progress.waiting(layer);
        }
        for (int i = Math.max(firstWanted, 0); i < Math.min(firstWanted + wanted, slots.size()); i++) {
            slots.get(i).wanted = true;
        }
        for (Slot slot : slots) {
            executor.execute(() -> run(slot, downloader, permits));
        }
    }

    private void run(Slot slot, BlobDownloader downloader, Semaphore permits) {
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
            downloader.fetchBlob(slot.layer, slot);
            finish(slot, null);
        } catch (IOException | RuntimeException e) {
            finish(slot, e);
        } finally {
            permits.release();
        }
    }

    /** Records a failure first (so that it wins over what it causes), then lets the unpacker and waiters see it. */
    private void finish(Slot slot, Exception failure) {
        if (failure != null) {
            recordFailure(failure);
            slot.fail(failure);
        }
        slot.started.complete(Optional.empty());
        if (failure == null) {
            slot.committed.complete(null);
        } else {
            slot.committed.completeExceptionally(failure);
        }
    }

    /** Makes {@code e} the pull's failure if there is none yet, and then cancels the downloads. */
    private void recordFailure(Exception e) {
        if (firstFailure.compareAndSet(null, e)) {
            cancelled.set(true);
        }
    }

    @Override
    public InputStream open(int index, Descriptor layer) throws IOException {
        Slot slot = slots.get(index);
        slot.wanted = true;
        Optional<ChunkQueue> queue = await(slot.started);
        if (queue.isEmpty()) {
            await(slot.committed);
        }
        progress.extracting(layer);
        return queue.isPresent() ? queue.get() : LayerSource.of(content).open(index, layer);
    }

    /** Waits for the blob to be committed (or found present); throws the download's failure. */
    @Override
    public void verify(int index, Descriptor layer) throws IOException {
        await(slots.get(index).committed);
    }

    @Override
    public void unpacked(int index, Descriptor layer, String chainId) {
        slots.get(index).release();
        progress.unpacked(layer, chainId);
    }

    /** The unpack failed: it is the pull's failure unless one came first, and the layers it reads end now. */
    @Override
    public void cancel(Exception cause) {
        recordFailure(cause);
        slots.forEach(s -> s.fail(cause));
    }

    /** Waits for every download; throws the pull's first failure if there was one. */
    void awaitAll() throws IOException {
        waitForAll();
        throwFirstFailure();
    }

    /**
     * The pull failed with {@code e} (unless a download failed first): stops the downloads (each stops at its next
     * chunk and keeps its ingest for a resume), waits until all have ended, and throws the first failure.
     */
    void stop(Exception e) throws IOException {
        recordFailure(e);
        cancelled.set(true);
        slots.forEach(Slot::release);
        waitForAll();
        throwFirstFailure();
    }

    private void waitForAll() throws InterruptedIOException {
        for (Slot s : slots) {
            try {
                s.committed.get();
            } catch (ExecutionException e) {
                // recorded by finish(): the first one is reported below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("pull: interrupted");
            }
        }
    }

    private void throwFirstFailure() throws IOException {
        Exception first = firstFailure.get();
        if (first instanceof IOException io) {
            throw io;
        }
        if (first instanceof RuntimeException r) {
            throw r;
        }
    }

    private static <T> T await(CompletableFuture<T> f) throws IOException {
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
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(cause.getMessage(), cause);
        }
    }
}
