package dev.berth.manager.task;

import dev.berth.api.errdefs.BerthException;
import dev.berth.log.Log;
import dev.berth.manager.task.shim.ProcessExit;
import dev.berth.manager.task.shim.ShimLauncher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/** Ends a task's shim: runs its {@code delete} verb, asks it to exit and waits for its process to go. */
final class ShimTeardown {
    private static final Log LOG = Log.of(ShimTeardown.class);
    /** containerd's status for a process whose end nobody saw. */
    private static final int UNKNOWN_EXIT = 255;
    /** Left in the bundle by berth-shim once it no longer uses it (shim.process.Container). */
    static final String RELEASED = "berth-deleted";

    private final ShimTasksConfig config;
    private final ShimLauncher launcher;
    private final TaskTable tasks;

    ShimTeardown(ShimTasksConfig config, ShimLauncher launcher, TaskTable tasks) {
        this.config = config;
        this.launcher = launcher;
        this.tasks = tasks;
    }

    /**
     * Runs the shim's {@code delete} verb, which cleans up the task's runtime state when the shim itself cannot;
     * its exit, or an unknown one if the verb failed (the task is gone either way).
     */
    ProcessExit deleteVerb(ShimTask task) {
        try {
            return launcher.delete(task.call);
        } catch (IOException | BerthException e) {
            LOG.warn("shim delete verb failed", e, "namespace", task.call.namespace(), "id", task.call.id());
            return new ProcessExit(0, UNKNOWN_EXIT, Instant.now());
        }
    }

    /** Asks the shim of a removed task to exit (it does once it serves no task) and lets go of it. */
    void stop(ShimTask task) {
        shutdown(task);
        awaitGone(task, task.bundle.dir());
    }

    /** Asks the shim to exit and closes berthd's connection to it; the shim exits on its own time. */
    void shutdown(ShimTask task) {
        Cleanup.ignoring("shut down shim", task.call, () -> task.client().shutdown(task.call.id(), false));
        Cleanup.ignoring("close shim client", task.call, task.client()::close);
    }

    /**
     * Waits for the shim to exit (unless it still serves other tasks of its group, or it left {@code bundle}
     * marked as released) and closes its log.
     */
    void awaitGone(ShimTask task, Path bundle) {
        if (!tasks.anyServedAt(task.address()) && !released(bundle) && !awaitExit(task.shimPid())) {
            LOG.warn("shim of deleted task did not exit in time", "namespace", task.call.namespace(), "id",
                    task.call.id(), "shim_pid", task.shimPid(), "timeout_ms", config.shutdownTimeout().toMillis());
        }
        task.log.close();
    }

    /**
     * Whether the shim left the bundle marked as no longer used: berth-shim's server writes {@value #RELEASED}
     * once it has deleted the task, and then stays for the next task of its namespace (an idle period) rather than
     * exit on Shutdown; waiting for it would only hold the bundle.
     */
    static boolean released(Path bundle) {
        return Files.exists(bundle.resolve(RELEASED));
    }

    /**
     * True once the process is gone, false if it still runs after the configured shutdown timeout. Polled every
     * few milliseconds: the JDK's {@code onExit} waits for the reaping of a process that is not berthd's child,
     * which took two seconds here (every {@code ctr run --rm} waited for it).
     */
    boolean awaitExit(long pid) {
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        if (p.isEmpty()) {
            return true;
        }
        long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
        long pause = 1;
        while (running(pid)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !running(pid);
            }
            pause = Math.min(pause * 2, 10);
        }
        return true;
    }

    /**
     * Whether {@code pid} still runs: a zombie does not. The shim is not berthd's child, so its exit is reaped by
     * whoever inherited it; on this machine kind that is an init that reaps every couple of seconds, and until
     * then {@code isAlive} says yes although the shim has released everything it held.
     */
    static boolean running(long pid) {
        String stat;
        try {
            stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid), "stat"));
        } catch (java.io.IOException e) {
            return false;
        }
        int close = stat.lastIndexOf(')');
        char state = close > 0 && close + 2 < stat.length() ? stat.charAt(close + 2) : 'X';
        return state != 'Z' && state != 'X';
    }
}
