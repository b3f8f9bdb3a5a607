package dev.berth.manager.task;

import java.util.Objects;

/**
 * Names one process of a task: the task's init process (empty exec id, as on the shim API) or an exec'd one.
 */
public record ProcessRef(String namespace, String containerId, String execId) {
    public ProcessRef {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(containerId, "containerId");
        Objects.requireNonNull(execId, "execId");
    }

    /** The init process of a task. */
    public static ProcessRef init(String namespace, String containerId) {
        return new ProcessRef(namespace, containerId, "");
    }

    /** An exec'd process of a task; {@code execId} must not be empty. */
    public static ProcessRef exec(String namespace, String containerId, String execId) {
        if (execId.isEmpty()) {
            throw new IllegalArgumentException("exec process of " + containerId + ": empty exec id");
        }
        return new ProcessRef(namespace, containerId, execId);
    }

    public boolean isInit() {
        return execId.isEmpty();
    }

    @Override
    public String toString() {
        return namespace + "/" + containerId + (isInit() ? "" : "/" + execId);
    }
}
