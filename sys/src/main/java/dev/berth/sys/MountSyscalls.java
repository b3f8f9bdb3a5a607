package dev.berth.sys;

/** The mount role: {@code mount(2)} and {@code umount2(2)}. Failures are {@link SyscallException}s. */
public interface MountSyscalls {

    /** {@code mount(2)}; empty type and data are passed as NULL. */
    void mount(String source, String target, String type, long flags, String data);

    /** {@code umount2(2)}, e.g. with {@code MNT_DETACH} (2). */
    void unmount(String target, int flags);
}
