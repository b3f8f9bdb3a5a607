package dev.berth.shim.process;

import dev.berth.sys.Errno;
import dev.berth.sys.MountSyscalls;
import dev.berth.sys.SyscallException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The container's root filesystem as containerd hands it to a shim: mounts (an overlay, or a bind of a snapshot
 * directory) to stack at {@code <bundle>/rootfs}, undone in reverse order when the task is deleted. An overlay's
 * options may pass the kernel's page ({@link Syscalls#mountLongData}: an image of hundreds of layers).
 */
public final class RootfsMount {
    /** {@code umount2} flag: detach now, clean up when no longer busy. */
    static final int MNT_DETACH = 2;

    private static final long MS_RDONLY = 1;
    private static final long MS_BIND = 4096;
    private static final long MS_REC = 16384;
    private static final Map<String, Long> FLAGS = Map.of("ro", MS_RDONLY, "rw", 0L, "bind", MS_BIND,
            "rbind", MS_BIND | MS_REC, "nosuid", 2L, "nodev", 4L, "noexec", 8L, "relatime", 1L << 21,
            "noatime", 1024L);

    /** One mount as {@code containerd.types.Mount} carries it. */
    public record Spec(String type, String source, List<String> options) {}

    private final MountSyscalls sys;
    private final Path target;
    private int mounted;

    private RootfsMount(MountSyscalls sys, Path target) {
        this.sys = sys;
        this.target = target;
    }

    /** Mounts every spec at {@code target} in order; on failure unmounts what it mounted and throws. */
    public static RootfsMount mount(MountSyscalls sys, Path target, List<Spec> specs) {
        RootfsMount rootfs = new RootfsMount(sys, target);
        try {
            for (Spec spec : specs) {
                rootfs.mountOne(spec);
            }
            return rootfs;
        } catch (SyscallException e) {
            rootfs.unmount();
            throw e;
        }
    }

    /** The mounts an earlier server stacked at {@code target} ({@code layers} of them), to unmount at Delete. */
    static RootfsMount adopt(MountSyscalls sys, Path target, int layers) {
        RootfsMount rootfs = new RootfsMount(sys, target);
        rootfs.mounted = layers;
        return rootfs;
    }

    private void mountOne(Spec spec) {
        long flags = 0;
        List<String> data = new ArrayList<>();
        for (String option : spec.options()) {
            Long flag = FLAGS.get(option);
            if (flag == null) {
                data.add(option);
            } else {
                flags |= flag;
            }
        }
        String type = (flags & MS_BIND) != 0 ? "" : spec.type();
        sys.mountLongData(spec.source(), target.toString(), type, flags, String.join(",", data));
        mounted++;
        if ((flags & MS_BIND) != 0 && (flags & MS_RDONLY) != 0) {
            // a bind mount ignores MS_RDONLY until it is remounted
            sys.mount("", target.toString(), "", flags | 32 /* MS_REMOUNT */, "");
        }
    }

    /** Unmounts what {@link #mount} stacked; already gone is fine. */
    public void unmount() {
        for (; mounted > 0; mounted--) {
            unmountIfMounted(sys, target);
        }
    }

    /** Unmounts the top mount at {@code target}, if any (the shim's {@code delete} after a crash). */
    public static void unmountIfMounted(MountSyscalls sys, Path target) {
        try {
            sys.unmount(target.toString(), MNT_DETACH);
        } catch (SyscallException e) {
            if (e.errno() != Errno.EINVAL && e.errno() != Errno.ENOENT) {
                throw e;
            }
        }
    }
}
