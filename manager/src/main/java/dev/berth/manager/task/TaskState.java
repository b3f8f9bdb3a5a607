package dev.berth.manager.task;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A process of a task as its shim last reported it (containerd's {@code types.Process}).
 *
 * @param execId empty for the task's init process
 * @param pid 0 until created, and for a task whose shim is gone
 * @param exitStatus meaningful when {@code exitedAt} is present
 */
public record TaskState(String namespace, String containerId, String execId, int pid, TaskStatus status,
                        Stdio stdio, int exitStatus, Optional<Instant> exitedAt) {
    public TaskState {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(stdio, "stdio");
        Objects.requireNonNull(exitedAt, "exitedAt");
    }
}
