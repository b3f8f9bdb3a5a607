package dev.berth.manager.task;

import com.google.protobuf.Timestamp;
import dev.berth.api.events.TaskDelete;
import dev.berth.api.events.TaskExit;
import dev.berth.log.Log;
import dev.berth.manager.event.Publisher;
import dev.berth.manager.event.Topics;
import dev.berth.manager.task.shim.ProcessExit;
import dev.berth.sys.MountSyscalls;
import java.time.Instant;
import java.util.Optional;

/**
 * Watches each task's shim process and, when one dies, cleans up after its task as containerd does: the shim's
 * {@code delete} verb runs, the bundle is removed, the exit is kept ({@link LostTaskExits}: the container shows
 * {@code Exited (137)}), and the {@code /tasks/exit} and {@code /tasks/delete} events that no shim is left to
 * publish are published.
 */
final class DeadShimCleanup {
    private static final Log LOG = Log.of(DeadShimCleanup.class);

    private final TaskTable tasks;
    private final ShimTeardown teardown;
    private final Publisher publisher;
    private final LostTaskExits lostExits;
    private final MountSyscalls sys;

    DeadShimCleanup(TaskTable tasks, ShimTeardown teardown, Publisher publisher, LostTaskExits lostExits,
                    MountSyscalls sys) {
        this.tasks = tasks;
        this.teardown = teardown;
        this.publisher = publisher;
        this.lostExits = lostExits;
        this.sys = sys;
    }

    /** Cleans up after {@code task} once its shim exits; at once if the shim is already gone. */
    void watch(ShimTask task) {
        Optional<ProcessHandle> shim = ProcessHandle.of(task.shimPid);
        if (shim.isEmpty()) {
            Thread.ofVirtual().start(() -> shimDied(task));
            return;
        }
        // onExit completes on a JDK pool thread; the clean-up blocks (the delete verb), so it gets its own thread
        shim.get().onExit().thenRun(() -> Thread.ofVirtual().name("shim-died-" + task.call.id())
                .start(() -> shimDied(task)));
    }

    private void shimDied(ShimTask task) {
        task.lock.lock();
        try {
            // a task being deleted stops its shim itself; a closed berthd leaves the task to the next one's recover
            if (task.removed || tasks.isClosed()) {
                return;
            }
            task.removed = true;
            tasks.remove(task);
        } finally {
            task.lock.unlock();
        }
        LOG.warn("shim exited; cleaning up its task", "namespace", task.call.namespace(), "id", task.call.id(),
                "shim_pid", task.shimPid);
        ProcessExit exit = teardown.deleteVerb(task);
        // for a Wait that saw the shim's connection break: the task has left the table, so the /tasks/exit below
        // cannot reach it through the exit watcher
        task.lastExit = Optional.of(exit);
        Cleanup.ignoring("close shim client", task.call, task.client::close);
        task.log.close();
        Cleanup.ignoring("remove bundle", task.call, () -> task.bundle.delete(sys));
        Cleanup.ignoring("keep exit of task", task.call,
                () -> lostExits.keep(task.call.namespace(), task.call.id(), exit));
        Timestamp at = timestamp(exit.exitedAt());
        publisher.publish(task.call.namespace(), Topics.TASK_EXIT, TaskExit.newBuilder()
                .setContainerId(task.call.id()).setId(task.call.id()).setPid(exit.pid())
                .setExitStatus(exit.exitStatus()).setExitedAt(at).build());
        publisher.publish(task.call.namespace(), Topics.TASK_DELETE, TaskDelete.newBuilder()
                .setContainerId(task.call.id()).setPid(exit.pid()).setExitStatus(exit.exitStatus())
                .setExitedAt(at).build());
    }

    private static Timestamp timestamp(Instant t) {
        return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
    }
}
