package dev.berth.manager.metadata;

/**
 * Whether a container has a task (created, running, paused or stopped but not deleted): its rootfs snapshot is
 * mounted then, so removing that snapshot, and with it perhaps the layers under it, must be refused. Supplied by
 * the task supervisor, which the metadata package does not know.
 */
@FunctionalInterface
public interface LiveTasks {

    /** No container has a task: what image code and tests that run no tasks use. */
    LiveTasks NONE = (namespace, containerId) -> false;

    boolean hasTask(String namespace, String containerId);
}
