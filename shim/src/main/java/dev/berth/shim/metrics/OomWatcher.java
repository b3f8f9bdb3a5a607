package dev.berth.shim.metrics;

import dev.berth.log.Log;
import dev.berth.sys.Errno;
import dev.berth.sys.EventSyscalls;
import dev.berth.sys.SyscallException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Watches the memory cgroups of a shim's containers and reports each OOM kill in them, by container id.
 *
 * <p>What is reported is the kernel's count of kills ({@link OomCounter}): a container is reported once for each
 * look at its counter that finds it grown. What makes the watcher look is the kernel's notification, which one
 * platform thread per shim waits for in {@code poll}:
 * <ul>
 *   <li>cgroup v1: one eventfd, registered with each watched cgroup by writing {@code "<eventfd> <fd of
 *       memory.oom_control>"} to its {@code cgroup.event_control}. The kernel signals it when the cgroup enters
 *       OOM, which is a moment <em>before</em> it picks a victim and counts the kill, and when the cgroup is
 *       removed. So a signal that finds no counter grown is followed by a few more looks over the next 100 ms.
 *   <li>cgroup v2: one inotify instance with an {@code IN_MODIFY} watch on each watched {@code memory.events},
 *       which the kernel marks modified after it has counted.
 * </ul>
 * A second eventfd wakes the thread to end it when the last container is forgotten; the thread closes both
 * descriptors as it ends, and the kernel drops v1 registrations whose eventfd is closed.
 *
 * <p>One thread for all containers rather than one each: a platform thread blocked in a system call costs about
 * 100 kB of RSS in this JVM (measured: 50 such threads, +5.3 MB), and a group's shim serves many containers. Not a
 * virtual thread: one blocked in native code (JNI) cannot unmount and would hold a carrier thread the whole time.
 */
public final class OomWatcher {
    private static final Log LOG = Log.of(OomWatcher.class);
    /** The looks at the counters after a notification that found no kill counted yet, and the time between. */
    private static final int CONFIRMATIONS = 20;
    private static final int CONFIRM_INTERVAL_MILLIS = 5;
    private static final int INOTIFY_BUFFER = 4096;
    private static final int EVENTFD_VALUE = 8;

    private final EventSyscalls sys;
    private final Consumer<String> onOom;
    private final Path procRoot;
    private final Path cgroupRoot;
    private final boolean unified;
    /** Guarded by this. */
    private final Map<String, Watched> watched = new HashMap<>();
    /** The running listener; null while nothing is watched. Guarded by this. */
    private Listener listener;

    private static final class Watched {
        final OomCounter counter;
        final Listener listener;
        /** The inotify watch descriptor (v2); -1 on v1. */
        final int watch;
        /** The count last read; guarded by this Watched. */
        long kills;

        Watched(OomCounter counter, Listener listener, int watch, long kills) {
            this.counter = counter;
            this.listener = listener;
            this.watch = watch;
            this.kills = kills;
        }
    }

    /**
     * @param onOom called with the container id, from the watcher's thread or from {@link #checkNow}; must not
     *     block (it runs under the entry's lock)
     */
    public OomWatcher(EventSyscalls sys, Consumer<String> onOom, Path procRoot, Path cgroupRoot) {
        this.sys = sys;
        this.onOom = onOom;
        this.procRoot = procRoot;
        this.cgroupRoot = cgroupRoot;
        this.unified = MetricsFormat.detect(cgroupRoot) == MetricsFormat.CGROUP_V2;
    }

    /** A watcher over the host's {@code /proc} and {@code /sys/fs/cgroup}. */
    public static OomWatcher onHost(EventSyscalls sys, Consumer<String> onOom) {
        return new OomWatcher(sys, onOom, Path.of("/proc"), Path.of("/sys/fs/cgroup"));
    }

    /**
     * Starts watching the memory cgroup that {@code pid} (the container's init) is in; kills before this call are
     * not reported. A container without a memory cgroup is not watched.
     */
    public void watch(String containerId, int pid) {
        Optional<OomCounter> counter;
        long kills;
        try {
            counter = OomCounter.locate(pid, procRoot, cgroupRoot);
            kills = counter.isPresent() ? counter.get().read() : 0;
        } catch (IOException e) {
            LOG.warn("watch oom", e, "id", containerId, "pid", pid);
            return;
        }
        if (counter.isEmpty()) {
            LOG.info("watch oom: no memory cgroup", "id", containerId, "pid", pid);
            return;
        }
        synchronized (this) {
            try {
                if (listener == null) {
                    listener = startListener();
                }
                int watch = register(listener, counter.get());
                watched.put(containerId, new Watched(counter.get(), listener, watch, kills));
            } catch (SyscallException | IOException e) {
                LOG.warn("watch oom", e, "id", containerId, "pid", pid);
                stopIfIdle();
            }
        }
    }

    /**
     * Looks at the container's counter now: an OOM-killed init is reaped and deleted within milliseconds, so the
     * shim looks once more before the delete removes the cgroup, whether or not the thread has run since.
     */
    public void checkNow(String containerId) {
        Watched w;
        synchronized (this) {
            w = watched.get(containerId);
        }
        if (w != null) {
            check(containerId, w);
        }
    }

    /** Stops watching the container (after delete); the thread ends with the last one. */
    public synchronized void forget(String containerId) {
        Watched w = watched.remove(containerId);
        if (w != null && w.watch >= 0 && w.listener == listener) {
            try {
                sys.inotifyRmWatch(listener.source, w.watch);
            } catch (SyscallException e) {
                // EINVAL: the kernel dropped the watch with the removed cgroup's file
                if (e.errno() != Errno.EINVAL) {
                    LOG.warn("forget oom", e, "id", containerId);
                }
            }
        }
        stopIfIdle();
    }

    /** With nothing watched, tells the listener to end; the write happens before it can close its wake fd. */
    private void stopIfIdle() {
        if (watched.isEmpty() && listener != null) {
            listener.stopped = true;
            sys.writeFully(listener.wake, eventfdValue(1));
            listener = null;
        }
    }

    private Listener startListener() {
        int source = unified ? sys.inotifyInit() : sys.eventfd();
        int wake;
        try {
            wake = sys.eventfd();
        } catch (SyscallException e) {
            sys.close(source);
            throw e;
        }
        Listener l = new Listener(source, wake);
        Thread.ofPlatform().name("oom").daemon().start(l::run);
        return l;
    }

    /** Asks the kernel to notify the listener of the counter's cgroup; returns the inotify watch, or -1 on v1. */
    private int register(Listener l, OomCounter counter) throws IOException {
        if (unified) {
            return sys.inotifyAddWatch(l.source, counter.file().toString(), EventSyscalls.IN_MODIFY);
        }
        int control = sys.open(counter.file().toString(), EventSyscalls.O_RDONLY, 0);
        try {
            Files.writeString(counter.file().resolveSibling("cgroup.event_control"), l.source + " " + control,
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        } finally {
            sys.close(control); // the registration holds what it needs of the file
        }
        return -1;
    }

    private static byte[] eventfdValue(long value) {
        return ByteBuffer.allocate(EVENTFD_VALUE).order(ByteOrder.nativeOrder()).putLong(value).array();
    }

    /** The thread and its descriptors: the kernel's notifications (eventfd or inotify) and the wake-up eventfd. */
    private final class Listener {
        final int source;
        final int wake;
        /** Set, with the wake-up written, when the listener is to end; guarded by the watcher. */
        boolean stopped;

        Listener(int source, int wake) {
            this.source = source;
            this.wake = wake;
        }

        void run() {
            int[] fds = {source, wake};
            byte[] buf = new byte[unified ? INOTIFY_BUFFER : EVENTFD_VALUE];
            int confirmations = 0;
            try {
                while (true) {
                    boolean[] ready = sys.pollReadable(fds, confirmations > 0 ? CONFIRM_INTERVAL_MILLIS : -1);
                    if (ready[1]) {
                        sys.read(wake, buf, 0, EVENTFD_VALUE);
                    }
                    if (ready[0]) {
                        sys.read(source, buf, 0, buf.length); // what changed does not matter: all are looked at
                    }
                    synchronized (OomWatcher.this) {
                        if (stopped) {
                            return;
                        }
                    }
                    boolean grew = checkAll();
                    confirmations = ready[0] && !grew ? CONFIRMATIONS : Math.max(0, confirmations - 1);
                }
            } catch (SyscallException e) {
                LOG.warn("oom watcher stopped; kills are looked for only on delete from now on", e);
            } finally {
                synchronized (OomWatcher.this) {
                    if (listener == this) {
                        listener = null; // after a failure: the next watch starts a new listener
                    }
                    stopped = true;
                    sys.close(source);
                    sys.close(wake);
                }
            }
        }
    }

    /** Looks at every watched counter; true if one grew. */
    private boolean checkAll() {
        Map<String, Watched> now;
        synchronized (this) {
            now = Map.copyOf(watched);
        }
        boolean grew = false;
        for (Map.Entry<String, Watched> e : now.entrySet()) {
            grew |= check(e.getKey(), e.getValue());
        }
        return grew;
    }

    /**
     * Reads one counter and reports the container if it grew since the last read. Reports under the entry's lock,
     * so that a {@link #checkNow} racing the thread returns only after the kill has been reported.
     */
    private boolean check(String containerId, Watched w) {
        synchronized (w) {
            long kills;
            try {
                kills = w.counter.read();
            } catch (IOException e) {
                LOG.debug("read oom counter", e, "id", containerId, "file", w.counter.file());
                return false;
            }
            if (kills <= w.kills) {
                return false;
            }
            w.kills = kills;
            LOG.info("oom kill", "id", containerId, "kills", kills);
            onOom.accept(containerId);
            return true;
        }
    }
}
