package dev.berth.shim.io;

import dev.berth.log.Log;
import dev.berth.sys.EventSyscalls;
import dev.berth.sys.SyscallException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Waits, on one platform thread for all of a shim's processes, until a FIFO has something to read, then calls its
 * action once. A process's stdin copier starts this way ({@link ProcessIo}): most containers (every {@code ctr run
 * -d}, every detached docker container) get a stdin FIFO that no client ever writes to, and a copier blocked in its
 * read is a platform thread, about 100 kB of RSS each (as {@code metrics.OomWatcher} measured). With 50 such
 * containers that was 50 threads in the shim server doing nothing.
 *
 * <p>Each watch has a reader fd of its own on the FIFO, which only this thread polls and closes (between polls, so
 * that a closed fd's number reused elsewhere is never polled). The caller must keep a writer of the FIFO open
 * while it watches (ProcessIo's read-write fd), so that opening the reader cannot block. An eventfd wakes the thread
 * when a watch is cancelled; the thread ends when nothing is watched and a later watch starts another.
 */
public final class FifoWatch {
    private static final Log LOG = Log.of(FifoWatch.class);
    private static final int EVENTFD_VALUE = 8;

    private final EventSyscalls sys;
    /** Guarded by this: the pending watches by their reader fd, and the fds of cancelled ones to close. */
    private final Map<Integer, Watch> watches = new HashMap<>();
    private final List<Integer> cancelled = new ArrayList<>();
    /** The eventfd of the running thread; -1 while none runs. Guarded by this. */
    private int wake = -1;

    public FifoWatch(EventSyscalls sys) {
        this.sys = sys;
    }

    /** A FIFO being watched. */
    final class Watch {
        private final int fd;
        private final Runnable onReadable;

        private Watch(int fd, Runnable onReadable) {
            this.fd = fd;
            this.onReadable = onReadable;
        }

        /** Stops watching; true if the action had not been called and now never will be. */
        boolean cancel() {
            synchronized (FifoWatch.this) {
                if (!watches.remove(fd, this)) {
                    return false;
                }
                cancelled.add(fd);
                sys.writeFully(wake, one());
                return true;
            }
        }
    }

    /**
     * Calls {@code onReadable} once, on the watch's thread, when the FIFO at {@code path} has data to read or its
     * last writer has gone; it must not block.
     */
    synchronized Watch watch(String path, Runnable onReadable) {
        int fd = sys.open(path, EventSyscalls.O_RDONLY, 0);
        Watch w = new Watch(fd, onReadable);
        watches.put(fd, w);
        if (wake < 0) {
            try {
                wake = sys.eventfd();
            } catch (SyscallException e) {
                watches.remove(fd);
                sys.close(fd);
                throw e;
            }
            int mine = wake;
            Thread.ofPlatform().name("fifo-watch").daemon().stackSize(256 * 1024).start(() -> run(mine));
        } else {
            sys.writeFully(wake, one());
        }
        return w;
    }

    private void run(int mine) {
        try {
            while (true) {
                int[] fds;
                Watch[] polled;
                synchronized (this) {
                    closeCancelled();
                    if (watches.isEmpty()) {
                        wake = -1;
                        sys.close(mine);
                        return;
                    }
                    polled = watches.values().toArray(new Watch[0]);
                    fds = new int[polled.length + 1];
                    fds[0] = mine;
                    for (int i = 0; i < polled.length; i++) {
                        fds[i + 1] = polled[i].fd;
                    }
                }
                boolean[] ready = sys.pollReadable(fds, -1);
                if (ready[0]) {
                    sys.read(mine, new byte[EVENTFD_VALUE], 0, EVENTFD_VALUE);
                }
                for (int i = 0; i < polled.length; i++) {
                    if (ready[i + 1] && fire(polled[i])) {
                        polled[i].onReadable.run();
                    }
                }
            }
        } catch (SyscallException e) {
            LOG.warn("watch fifos: starting every waiting copier now", e);
            for (Watch w : giveUp(mine)) {
                w.onReadable.run();
            }
        }
    }

    /** After a failure of the thread: every pending watch taken out (their actions then run at once). */
    private synchronized List<Watch> giveUp(int mine) {
        List<Watch> pending = List.copyOf(watches.values());
        for (Watch w : pending) {
            sys.close(w.fd);
        }
        watches.clear();
        closeCancelled();
        wake = -1;
        sys.close(mine);
        return pending;
    }

    /** Takes a ready watch out; false if it was cancelled meanwhile. */
    private synchronized boolean fire(Watch w) {
        if (!watches.remove(w.fd, w)) {
            return false;
        }
        sys.close(w.fd);
        return true;
    }

    private void closeCancelled() {
        for (int fd : cancelled) {
            sys.close(fd);
        }
        cancelled.clear();
    }

    private static byte[] one() {
        return ByteBuffer.allocate(EVENTFD_VALUE).order(ByteOrder.nativeOrder()).putLong(1).array();
    }
}
