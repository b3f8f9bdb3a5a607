package dev.berth.shim.metrics;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Watches the memory cgroups of a shim's containers and reports each OOM kill in them, by container id.
 *
 * <p>One platform thread polls every watched cgroup's {@link OomCounter} each interval (200 ms in the shim) and
 * reports a container once per poll in which its count grew. Polling a small file per container costs a few
 * microseconds and needs nothing from the syscall layer; an eventfd on {@code cgroup.event_control} (v1) or inotify
 * on {@code memory.events} (v2) would report sooner. The thread runs only while something is watched.
 */
public final class OomWatcher {
    private static final System.Logger LOG = System.getLogger(OomWatcher.class.getName());

    private final Consumer<String> onOom;
    private final Duration interval;
    private final Path procRoot;
    private final Path cgroupRoot;
    private final Map<String, Watched> watched = new HashMap<>();
    private Thread thread;

    private static final class Watched {
        final OomCounter counter;
        /** The count last read; guarded by this. */
        long kills;

        Watched(OomCounter counter, long kills) {
            this.counter = counter;
            this.kills = kills;
        }
    }

    /**
     * @param onOom called with the container id, from the watcher's thread or from {@link #checkNow}; must not
     *     block (it runs under the entry's lock)
     */
    public OomWatcher(Consumer<String> onOom, Duration interval, Path procRoot, Path cgroupRoot) {
        this.onOom = onOom;
        this.interval = interval;
        this.procRoot = procRoot;
        this.cgroupRoot = cgroupRoot;
    }

    /** A watcher over the host's {@code /proc} and {@code /sys/fs/cgroup}, polling every 200 ms. */
    public static OomWatcher onHost(Consumer<String> onOom) {
        return new OomWatcher(onOom, Duration.ofMillis(200), Path.of("/proc"), Path.of("/sys/fs/cgroup"));
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
            LOG.log(Level.WARNING, "watch oom of {0} (pid {1}): {2}", containerId, pid, e.getMessage());
            return;
        }
        if (counter.isEmpty()) {
            LOG.log(Level.INFO, "watch oom of {0} (pid {1}): no memory cgroup", containerId, pid);
            return;
        }
        synchronized (this) {
            watched.put(containerId, new Watched(counter.get(), kills));
            if (thread == null) {
                thread = Thread.ofPlatform().name("oom").daemon().start(this::loop);
            }
        }
    }

    /**
     * Looks at the container's counter now, outside the polling interval: an OOM-killed init is reaped and deleted
     * within milliseconds, so the shim looks once more before the delete removes the cgroup.
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

    /** Stops watching the container (after delete); the thread is stopped with the last one. */
    public synchronized void forget(String containerId) {
        watched.remove(containerId);
        if (watched.isEmpty() && thread != null) {
            thread.interrupt();
            thread = null;
        }
    }

    private void loop() {
        try {
            while (pollOnce()) {
                Thread.sleep(interval);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads every watched counter and reports growth; false (and the thread ends) once nothing is watched. */
    private boolean pollOnce() {
        Map<String, Watched> now;
        synchronized (this) {
            if (watched.isEmpty() || Thread.currentThread().isInterrupted()) {
                if (thread == Thread.currentThread()) {
                    thread = null;
                }
                return false;
            }
            now = Map.copyOf(watched);
        }
        now.forEach(this::check);
        return true;
    }

    /**
     * Reads one counter and reports the container if it grew since the last read. Reports under the entry's lock,
     * so that a {@link #checkNow} racing the thread returns only after the kill has been reported.
     */
    private void check(String containerId, Watched w) {
        synchronized (w) {
            long kills;
            try {
                kills = w.counter.read();
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "read {0} of {1}: {2}", w.counter.file(), containerId, e.getMessage());
                return;
            }
            if (kills > w.kills) {
                w.kills = kills;
                LOG.log(Level.INFO, "oom kill in {0} ({1} so far)", containerId, kills);
                onOom.accept(containerId);
            }
        }
    }
}
