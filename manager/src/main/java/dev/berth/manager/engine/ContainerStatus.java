package dev.berth.manager.engine;

import dev.berth.api.errdefs.BerthException;

/**
 * docker's container states and what each allows (STYLE principle 5): a refused transition is FAILED_PRECONDITION
 * in docker's wording where docker has one.
 */
enum ContainerStatus {
    CREATED, RUNNING, PAUSED, RESTARTING, REMOVING, EXITED, DEAD;

    /** docker's word ({@code State.Status}). */
    String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    static ContainerStatus of(String word) {
        return valueOf(word.toUpperCase(java.util.Locale.ROOT));
    }

    /** Whether the container has a live task (docker's {@code State.Running}, which is true also when paused). */
    boolean hasTask() {
        return this == RUNNING || this == PAUSED;
    }

    /** docker: a restarting container counts as running (its {@code State.Running} is true). */
    boolean isRunningForDocker() {
        return this == RUNNING || this == PAUSED || this == RESTARTING;
    }

    void checkStart(String id) {
        if (this == PAUSED) {
            throw BerthException.failedPrecondition("cannot start a paused container, try unpause instead");
        }
        if (this == REMOVING || this == DEAD) {
            throw BerthException.failedPrecondition("container " + id + ": cannot start a container marked for "
                    + "removal");
        }
    }

    void checkPause(String id) {
        if (this == PAUSED) {
            throw BerthException.failedPrecondition("Container " + id + " is already paused");
        }
        if (this != RUNNING) {
            throw BerthException.failedPrecondition("Container " + id + " is not running");
        }
    }

    void checkUnpause(String id) {
        if (this != PAUSED) {
            throw BerthException.failedPrecondition("Container " + id + " is not paused");
        }
    }
}
