package dev.berth.manager.image.pull;

import dev.berth.manager.content.ContentStore;
import dev.berth.manager.content.ContentWriter;
import dev.berth.manager.content.Descriptor;
import dev.berth.manager.image.LayerSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The layer downloads of one pull, and the unpacker's source of their bytes: at most {@code limit} downloads at
 * once, started base layer first, on the given executor. Each layer the unpacker is to apply is followed in its
 * ingest as it downloads: when its download starts, a reader is opened on the ingest's data, and the unpacker reads
 * through it up to what the download has written so far, waiting for more at that point. So every layer is unpacked
 * while it downloads, whenever the unpacker gets to it, and a download never waits for the unpacker. A layer
 * already stored (or whose ingest was complete) is read from the store once committed. Either way the unpacker
 * vouches for the bytes only once the blob is committed ({@link #verify}). The unpacker may read several layers at
 * once.
 *
 * <p>The first failure is the pull's: the download (or the unpack, through {@link #stop}) that fails first is
 * recorded and cancels the others, and their failures, being consequences, never replace it.
 */
final class LayerDownloads implements LayerSource {

    private final List<Slot> slots = new ArrayList<>();
    private final ContentStore content;
    private final PullProgress progress;
    private final AtomicBoolean cancelled;
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();

    /**
     * Starts the downloads. Layers from {@code firstFollowed} on are those the unpacker applies (-1: no unpack):
     * their ingests are followed as they download.
     */
    LayerDownloads(List<Descriptor> layers, BlobDownloader downloader, ContentStore content, Executor executor,
                   int limit, AtomicBoolean cancelled, PullProgress progress, int firstFollowed) {
        this.content = content;
        this.progress = progress;
        this.cancelled = cancelled;
        Semaphore permits = new Semaphore(limit, true);
        for (int i = 0; i < layers.size(); i++) {
            slots.add(new Slot(layers.get(i), firstFollowed >= 0 && i >= firstFollowed));
            progress.waiting(layers.get(i));
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
        slot.started.complete(null);
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

    /**
     * The layer's bytes as its download writes them, from the first; once it is committed, from the store when
     * there was nothing to follow (stored already, or not downloaded by this pull).
     */
    @Override
    public InputStream open(int index, Descriptor layer) throws IOException {
        Slot slot = slots.get(index);
        await(slot.started);
        Optional<InputStream> following = slot.follow();
        if (following.isEmpty()) {
            await(slot.committed);
        }
        progress.extracting(layer);
        return following.isPresent() ? following.get() : LayerSource.of(content).open(index, layer);
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
        slots.forEach(Slot::release);
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
        slots.forEach(Slot::release);
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

    /**
     * One layer's download, as the unpacker sees it: whether it started (and so whether there is an ingest to
     * follow), how far it has written, how it failed, and when it is committed.
     */
    static final class Slot implements BlobDownloader.Watcher {
        final Descriptor layer;
        /** The unpacker applies this layer: its ingest is followed while it downloads. */
        private final boolean followed;
        /** Done when the download has started writing, or found nothing to write, or failed. */
        private final CompletableFuture<Void> started = new CompletableFuture<>();
        private final CompletableFuture<Void> committed = new CompletableFuture<>();
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition grown = lock.newCondition();
        private long written;
        private Exception failure;
        private boolean released;
        /** A reader on the ingest, opened when the download started and not handed to the unpacker yet. */
        private SeekableByteChannel unread;

        Slot(Descriptor layer, boolean followed) {
            this.layer = layer;
            this.followed = followed;
        }

        /** Opens the reader now: the ingest's data moves into the store at commit, maybe before the unpacker reads. */
        @Override
        public void writing(ContentWriter writer, long offset) throws IOException {
            lock.lock();
            try {
                if (followed && !released && failure == null) {
                    unread = writer.openReader();
                    written = offset;
                }
            } finally {
                lock.unlock();
            }
            started.complete(null);
        }

        @Override
        public void written(long offset) {
            lock.lock();
            try {
                written = offset;
                grown.signalAll();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void declined() {
            started.complete(null);
        }

        /** The layer's bytes from the first, following its download; empty if it has no ingest to follow. */
        Optional<InputStream> follow() {
            lock.lock();
            try {
                if (unread == null) {
                    return Optional.empty();
                }
                SeekableByteChannel channel = unread;
                unread = null;
                return Optional.of(new Tail(channel));
            } finally {
                lock.unlock();
            }
        }

        /** The reader's next read throws, caused by {@code cause} (the first failure given stays). */
        void fail(Exception cause) {
            lock.lock();
            try {
                if (failure == null) {
                    failure = cause;
                }
                grown.signalAll();
            } finally {
                lock.unlock();
            }
        }

        /** The unpacker is done with this layer (or the pull is): a reader it never took is closed. */
        void release() {
            lock.lock();
            try {
                released = true;
                if (unread != null) {
                    closeQuietly(unread);
                    unread = null;
                }
            } finally {
                lock.unlock();
            }
        }

        /** Waits until more than {@code position} bytes are written; answers how many are; throws the failure. */
        private long awaitBeyond(long position) throws IOException {
            lock.lock();
            try {
                while (failure == null && written <= position) {
                    grown.await();
                }
                if (failure != null) {
                    throw new IOException("layer " + layer.digest() + ": " + failure.getMessage(), failure);
                }
                return written;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("layer " + layer.digest() + ": interrupted");
            } finally {
                lock.unlock();
            }
        }

        private static void closeQuietly(SeekableByteChannel channel) {
            try {
                channel.close();
            } catch (IOException e) {
                // a read-only descriptor: nothing was written that a failed close could lose
            }
        }

        /** The layer's bytes read from its ingest as they are written, up to the descriptor's size. */
        private final class Tail extends InputStream {
            private final SeekableByteChannel channel;
            private long position;

            Tail(SeekableByteChannel channel) {
                this.channel = channel;
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
                if (position >= layer.size()) {
                    return -1;
                }
                long end = awaitBeyond(position);
                int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, end - position)));
                if (n < 0) {
                    throw new IOException("layer " + layer.digest() + ": ingest ended at " + position + " of "
                            + end + " bytes written");
                }
                position += n;
                return n;
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        }
    }
}
