package dev.berth.runtime.cgroup;

/**
 * A failed cgroup operation; the message names the operation and the file, e.g.
 * {@code write /sys/fs/cgroup/memory/x/memory.limit_in_bytes: device or resource busy}.
 */
public final class CgroupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CgroupException(String message) {
        super(message);
    }

    public CgroupException(String message, Throwable cause) {
        super(message, cause);
    }
}
