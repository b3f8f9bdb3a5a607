package dev.berth.runtime.container;

/** A container's status, as the runtime spec names it, with the transitions each allows. */
public enum ContainerStatus {
    CREATING, CREATED, RUNNING, PAUSED, STOPPED;

    /** The spec's lowercase word: {@code "running"}. */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public boolean canStart() {
        return this == CREATED;
    }

    public boolean canKill() {
        return this == CREATED || this == RUNNING || this == PAUSED;
    }

    public boolean canDeleteWithoutForce() {
        return this == CREATED || this == STOPPED;
    }

    public boolean canPause() {
        return this == RUNNING || this == CREATED;
    }

    public boolean canResume() {
        return this == PAUSED;
    }

    public boolean canExec() {
        return this == RUNNING || this == CREATED;
    }
}
