package dev.berth.shim.process;

import dev.berth.sys.Errno;
import dev.berth.sys.ProcessSyscalls;
import dev.berth.sys.SyscallException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The shim's one reaper: a platform thread that waits for any child ({@code waitpid(-1)}) and hands each exit to
 * whoever claimed its pid, or else to the orphan listener.
 *
 * <p>A pid is known only once its process exists, and the process may exit at once. So a caller first opens a
 * {@link Window}, then starts the process (spawn, or a runtime's create or exec, whose container process becomes
 * a child of this one), then {@link Window#claim claims} the pid. While any window is open, exits that nobody has
 * claimed are held back; when the last window closes, the unclaimed ones go to the orphan listener (processes
 * re-parented to this subreaper, a runtime's intermediate processes).
 *
 * <p>No other code in the process may wait for children: {@code ProcessBuilder} keeps a reaper thread per child
 * that would race with this one. Code that spawns and waits goes through {@link ReaperSyscalls}.
 * Futures complete on the reaper thread: dependent actions must be short or use the {@code *Async} variants.
 */
public final class Reaper implements AutoCloseable {
    /** How long the thread sleeps between checks while the process has no children at all. */
    private static final long IDLE_MILLIS = 50;

    private final ProcessSyscalls sys;
    private final Consumer<Exit> orphans;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition childrenMayExist = lock.newCondition();
    private final Map<Integer, CompletableFuture<Exit>> claimed = new HashMap<>();
    private final List<Exit> held = new ArrayList<>();
    private int openWindows;
    /** Counts the moments a child may have appeared: a window opened, a pid claimed. */
    private long childHints;
    private boolean closed;
    private Thread thread;

    /** How a child ended. {@code status} is the shell's convention: the exit code, or 128 + the signal. */
    public record Exit(int pid, int exitCode, int signal, Instant exitedAt) {
        public int status() {
            return signal != 0 ? 128 + signal : exitCode;
        }
    }

    private Reaper(ProcessSyscalls sys, Consumer<Exit> orphans) {
        this.sys = sys;
        this.orphans = orphans;
    }

    /** Starts the reaper thread; {@code orphans} receives every exit that no caller claimed. */
    public static Reaper start(ProcessSyscalls sys, Consumer<Exit> orphans) {
        Reaper reaper = new Reaper(sys, orphans);
        reaper.thread = Thread.ofPlatform().name("reaper").daemon().start(reaper::loop);
        return reaper;
    }

    /** Opens a window: exits stay claimable until it is closed. */
    public Window open() {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("reaper: closed");
            }
            openWindows++;
            childHints++;
            childrenMayExist.signalAll();
            return new Window();
        } finally {
            lock.unlock();
        }
    }

    /** The time between starting a process and claiming its pid; close it in a try-with-resources. */
    public final class Window implements AutoCloseable {
        private boolean done;

        private Window() {}

        /** The future exit of {@code pid}, which must have been started while this window was open. */
        public CompletableFuture<Exit> claim(int pid) {
            lock.lock();
            try {
                if (done) {
                    throw new IllegalStateException("reaper: claim " + pid + ": window closed");
                }
                for (Iterator<Exit> it = held.iterator(); it.hasNext(); ) {
                    Exit exit = it.next();
                    if (exit.pid() == pid) {
                        it.remove();
                        return CompletableFuture.completedFuture(exit);
                    }
                }
                if (claimed.containsKey(pid)) {
                    throw new IllegalStateException("reaper: claim " + pid + ": already claimed");
                }
                CompletableFuture<Exit> future = new CompletableFuture<>();
                claimed.put(pid, future);
                // the child exists now: a reaper that found none since the window opened must look again, or a
                // quick exit would wait for the end of its idle sleep
                childHints++;
                childrenMayExist.signalAll();
                return future;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            List<Exit> unclaimed = List.of();
            lock.lock();
            try {
                if (done) {
                    return;
                }
                done = true;
                if (--openWindows == 0) {
                    unclaimed = List.copyOf(held);
                    held.clear();
                }
            } finally {
                lock.unlock();
            }
            unclaimed.forEach(orphans);
        }
    }

    private void loop() {
        while (true) {
            long hints;
            lock.lock();
            try {
                if (closed) {
                    return;
                }
                hints = childHints;
            } finally {
                lock.unlock();
            }
            Optional<ProcessSyscalls.ExitStatus> status;
            try {
                status = sys.waitpid(-1, false);
            } catch (SyscallException e) {
                if (e.errno() != Errno.ECHILD) {
                    throw e;
                }
                idle(hints);
                continue;
            }
            status.ifPresent(s -> dispatch(new Exit(s.pid(), s.exitCode(), s.signal(), Instant.now())));
        }
    }

    /**
     * No children: sleeps until a window opens or a pid is claimed (a child is about to be or has been started)
     * or a short while passes (a process may have been re-parented to this subreaper, which nothing announces).
     */
    private void idle(long hints) {
        lock.lock();
        try {
            if (!closed && childHints == hints) {
                childrenMayExist.await(IDLE_MILLIS, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        } finally {
            lock.unlock();
        }
    }

    private void dispatch(Exit exit) {
        CompletableFuture<Exit> future;
        lock.lock();
        try {
            future = claimed.remove(exit.pid());
            if (future == null && openWindows > 0) {
                held.add(exit);
                return;
            }
            if (future == null && closed) {
                return; // shutting down: the waker, or a process nobody will hear about any more
            }
        } finally {
            lock.unlock();
        }
        if (future != null) {
            future.complete(exit);
        } else {
            orphans.accept(exit);
        }
    }

    /**
     * Stops the thread. It may be blocked in {@code waitpid}, which no interrupt ends, so a short-lived child
     * ({@code /bin/true}) wakes it; that child is reaped here if the thread ended before it did. Exits that nobody
     * claimed are not reported once closing has begun.
     */
    @Override
    public void close() throws InterruptedException {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            childrenMayExist.signalAll();
        } finally {
            lock.unlock();
        }
        thread.join(IDLE_MILLIS * 2);
        if (!thread.isAlive()) {
            return;
        }
        int waker = sys.spawn("/bin/true", List.of("true"), List.of(), Map.of());
        thread.join();
        try {
            sys.waitpid(waker, false);
        } catch (SyscallException e) {
            if (e.errno() != Errno.ECHILD) {
                throw e;
            }
        }
    }
}
