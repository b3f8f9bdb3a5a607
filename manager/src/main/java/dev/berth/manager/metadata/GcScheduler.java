package dev.berth.manager.metadata;

import dev.berth.api.errdefs.BerthException;
import dev.berth.log.Log;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs garbage collections in the background after deletes, as containerd's gc scheduler
 * ({@code gc/scheduler/scheduler.go}): a delete marks the database and returns; {@link #DELAY} later one
 * collection covers every delete marked before it started (the record and snapshot removals of one
 * {@code run --rm} come a few milliseconds apart and share it). {@link #collectNow} collects in the caller's
 * thread, the {@code sync} of containerd's image and lease deletes ({@code ScheduleAndWait});
 * {@link #awaitCollected} waits until the deletes marked so far are collected.
 *
 * <p>A delete's own records are gone when it returns; what it left unreferenced (blob and snapshot records of
 * other objects, backend blobs and snapshot directories) goes with the collection, as in containerd.
 */
final class GcScheduler implements AutoCloseable {

    /** How long a collection waits after the first delete it covers, so that the deletes of one request share it. */
    static final Duration DELAY = Duration.ofMillis(20);

    private static final Log LOG = Log.of(GcScheduler.class);

    private final GarbageCollector gc;
    private final Duration delay;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Thread worker;
    /** Deletes marked so far; guarded by {@link #lock}. */
    private long marked;
    /** The count of marked deletes the last finished collection covers; guarded by {@link #lock}. */
    private long collected;
    /** Guarded by {@link #lock}. */
    private boolean closed;

    private GcScheduler(GarbageCollector gc, Duration delay) {
        this.gc = gc;
        this.delay = delay;
        this.worker = Thread.ofPlatform().name("metadata-gc").daemon().unstarted(this::run);
    }

    /** A scheduler whose collections start {@code delay} after the first delete they cover; its thread runs. */
    static GcScheduler start(GarbageCollector gc, Duration delay) {
        GcScheduler s = new GcScheduler(gc, delay);
        s.worker.start();
        return s;
    }

    /** Marks a delete whose transaction has committed; a collection follows in the background. */
    void afterDelete() {
        lock.lock();
        try {
            marked++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Collects now, in the caller's thread (after a collection already running, if any): everything the deletes
     * committed before this call left unreferenced is gone when it returns.
     */
    GcReport collectNow() throws IOException {
        long covers = markedNow();
        GcReport report = gc.collect();
        covered(covers);
        return report;
    }

    /**
     * Waits until the deletes marked before this call have been collected (by the background or by
     * {@link #collectNow}); false if {@code timeout} passed first.
     */
    boolean awaitCollected(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            long target = marked;
            while (collected < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Stops the background thread after collecting what is still marked, so that a closed database is tidy. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        boolean interrupted = false;
        while (worker.isAlive()) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        while (true) {
            long target;
            lock.lock();
            try {
                if (!awaitWork()) {
                    return;
                }
                target = marked;
            } finally {
                lock.unlock();
            }
            try {
                gc.collect();
            } catch (IOException | BerthException e) {
                // the deletes stand; the next delete, collectNow or berthd's start collects again
                LOG.warn("garbage collection after delete failed", e);
            }
            covered(target);
        }
    }

    /**
     * Under the lock: waits for a delete not yet collected, then {@link #delay} more (deletes meanwhile join the
     * same collection). False once closed with nothing left to collect, or when the thread is interrupted.
     */
    private boolean awaitWork() {
        try {
            while (collected >= marked) {
                if (closed) {
                    return false;
                }
                changed.await();
            }
            long deadline = System.nanoTime() + delay.toNanos();
            long left;
            while (!closed && (left = deadline - System.nanoTime()) > 0) {
                changed.awaitNanos(left);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private long markedNow() {
        lock.lock();
        try {
            return marked;
        } finally {
            lock.unlock();
        }
    }

    private void covered(long target) {
        lock.lock();
        try {
            collected = Math.max(collected, target);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
