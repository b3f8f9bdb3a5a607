package dev.berth.manager.task;

import dev.berth.api.errdefs.BerthException;
import dev.berth.manager.log.Log;
import dev.berth.manager.task.shim.ProcessExit;
import dev.berth.manager.task.shim.ShimLauncher;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Ends a task's shim: runs its {@code delete} verb, asks it to exit and waits for its process to go. */
final class ShimTeardown {
    private static final Log LOG = Log.of(ShimTeardown.class);
    /** containerd's status for a process whose end nobody saw. */
    private static final int UNKNOWN_EXIT = 255;

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
        Cleanup.ignoring("shut down shim", task.call, () -> task.client.shutdown(task.call.id(), false));
        Cleanup.ignoring("close shim client", task.call, task.client::close);
        if (!tasks.anyServedAt(task.address) && !awaitExit(task.shimPid)) {
            LOG.warn("shim of deleted task did not exit in time", "namespace", task.call.namespace(), "id",
                    task.call.id(), "shim_pid", task.shimPid, "timeout_ms", config.shutdownTimeout().toMillis());
        }
        task.log.close();
    }

    /** True once the process is gone, false if it still runs after the configured shutdown timeout. */
    boolean awaitExit(long pid) {
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        if (p.isEmpty()) {
            return true;
        }
        try {
            p.get().onExit().get(config.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !p.get().isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !p.get().isAlive();
        }
    }
}
