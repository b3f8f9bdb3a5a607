package dev.berth.manager.task;

import dev.berth.api.types.task.Status;

/** A process's lifecycle status as shims report it ({@code containerd.v1.types.Status}). */
public enum TaskStatus {
    UNKNOWN,
    CREATED,
    RUNNING,
    STOPPED,
    PAUSED,
    PAUSING;

    static TaskStatus of(Status status) {
        return switch (status) {
            case CREATED -> CREATED;
            case RUNNING -> RUNNING;
            case STOPPED -> STOPPED;
            case PAUSED -> PAUSED;
            case PAUSING -> PAUSING;
            case UNKNOWN, UNRECOGNIZED -> UNKNOWN;
        };
    }
}
