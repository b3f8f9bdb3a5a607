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
 * Watches berthd's connection to each task's shim. When it breaks, the task's group is asked for its shim again
 * ({@link ShimReconnect}): a berth-shim group's new server has taken the task over from its monitor, and the task
 * goes on with it. Only a task that no shim serves any more (containerd's shim, one per task, died; or the task's
 * monitor died with its server) is cleaned up as containerd does: the shim's {@code delete} verb runs, the bundle is
 * removed, the exit is kept ({@link LostTaskExits}: the container shows {@code Exited (137)}), and the {@code
 * /tasks/exit} (unless its shim published one already) and {@code /tasks/delete} events that no shim is left to
 * publish are published.
 */
final class DeadShimCleanup {
    private static final Log LOG = Log.of(DeadShimCleanup.class);

    private final TaskTable tasks;
    private final ShimTeardown teardown;
    private final ShimReconnect reconnect;
    private final Publisher publisher;
    private final LostTaskExits lostExits;
    private final MountSyscalls sys;

    DeadShimCleanup(TaskTable tasks, ShimTeardown teardown, ShimReconnect reconnect, Publisher publisher,
                    LostTaskExits lostExits, MountSyscalls sys) {
        this.tasks = tasks;
        this.teardown = teardown;
        this.reconnect = reconnect;
        this.publisher = publisher;
        this.lostExits = lostExits;
        this.sys = sys;
    }

    /** Reconnects or cleans up after {@code task} once its shim's connection ends. */
    void watch(ShimTask task) {
        watch(task, task.link());
    }

    private void watch(ShimTask task, ShimTask.Link link) {
        // the connection's end is seen on its reader's thread; reconnecting blocks (start, a JVM), so it gets its own
        link.client().ended().thenRun(() -> Thread.ofVirtual().name("shim-lost-" + task.call.id())
                .start(() -> lost(task, link)));
    }

    private void lost(ShimTask task, ShimTask.Link link) {
        // berthd closed it itself: the task was deleted, berthd is closing, or the link was replaced
        if (task.removed || tasks.isClosed() || task.link() != link) {
            return;
        }
        LOG.warn("connection to shim lost; asking the task's group for its shim again", "namespace",
                task.call.namespace(), "id", task.call.id(), "shim_pid", link.shimPid(), "address", link.address());
        Optional<ShimTask.Link> fresh = reconnect.reconnect(task.call, link.address(), link.shimPid());
        if (fresh.isPresent()) {
            task.relink(fresh.get());
            watch(task, fresh.get());
            Cleanup.ignoring("close shim client", task.call, link.client()::close);
            if (task.removed || tasks.isClosed()) { // deleted or let go of meanwhile, with the old link
                Cleanup.ignoring("close shim client", task.call, fresh.get().client()::close);
                return;
            }
            LOG.info("task taken over by a new shim", "namespace", task.call.namespace(), "id", task.call.id(),
                    "shim_pid", fresh.get().shimPid(), "address", fresh.get().address());
            return;
        }
        // callers waiting for a new link stop waiting: a delete that holds the task's lock cleans up itself
        task.unlink();
        shimDied(task);
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
        LOG.warn("no shim serves the task; cleaning up", "namespace", task.call.namespace(), "id", task.call.id(),
                "shim_pid", task.shimPid());
        boolean published = task.lastExit().isPresent();
        // a Wait of the init returns this; the task has left the table, so no /tasks/exit can reach it any more
        task.exited(teardown.deleteVerb(task));
        ProcessExit exit = task.lastExit().orElseThrow();
        Cleanup.ignoring("close shim client", task.call, task.client()::close);
        task.log.close();
        Cleanup.ignoring("remove bundle", task.call, () -> task.bundle.delete(sys));
        Cleanup.ignoring("keep exit of task", task.call,
                () -> lostExits.keep(task.call.namespace(), task.call.id(), exit));
        Timestamp at = timestamp(exit.exitedAt());
        if (!published) {
            publisher.publish(task.call.namespace(), Topics.TASK_EXIT, TaskExit.newBuilder()
                    .setContainerId(task.call.id()).setId(task.call.id()).setPid(exit.pid())
                    .setExitStatus(exit.exitStatus()).setExitedAt(at).build());
        }
        publisher.publish(task.call.namespace(), Topics.TASK_DELETE, TaskDelete.newBuilder()
                .setContainerId(task.call.id()).setPid(exit.pid()).setExitStatus(exit.exitStatus())
                .setExitedAt(at).build());
    }

    private static Timestamp timestamp(Instant t) {
        return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
    }
}
