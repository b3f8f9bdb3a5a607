package dev.berth.manager.task;

import dev.berth.manager.task.shim.ProcessExit;
import java.io.IOException;

/**
 * Where berthd keeps how a task ended when its shim died. The task is gone then (cleaned up as containerd's {@code
 * cleanupAfterDeadShim} does), so whoever shows the container afterwards ({@code berth ps -a}: {@code Exited
 * (137)}) finds its end here, as dockerd records it from the {@code /tasks/exit} containerd publishes.
 */
@FunctionalInterface
public interface LostTaskExits {
    /** Keeps nothing: for embedders that read the {@code /tasks/exit} events themselves. */
    LostTaskExits NONE = (namespace, containerId, exit) -> { };

    void keep(String namespace, String containerId, ProcessExit exit) throws IOException;
}
