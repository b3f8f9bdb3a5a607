package dev.berth.runtime.cgroup;

/**
 * The stable freezer state of a container's cgroup; a cgroup that is still freezing is waited for, never reported.
 */
public enum FreezerState {
    THAWED,
    FROZEN
}
