package dev.berth.sys;

import java.nio.charset.StandardCharsets;

/** The mount role: {@code mount(2)} and {@code umount2(2)}. Failures are {@link SyscallException}s. */
public interface MountSyscalls {

    /** The most bytes of {@code mount(2)} data the kernel copies (a page with its NUL); it cuts the rest silently. */
    int MOUNT_DATA_MAX = 4095;

    /** The most lower directories one overlay stacks (the kernel's {@code OVL_MAX_STACK}). */
    int OVERLAY_MAX_LOWER = 500;

    /** {@code mount(2)}; empty type and data are passed as NULL. */
    void mount(String source, String target, String type, long flags, String data);

    /** {@code umount2(2)}, e.g. with {@code MNT_DETACH} (2). */
    void unmount(String target, int flags);

    /**
     * {@code mount(2)} from a native thread of its own whose working directory is {@code dir}: the thread calls
     * {@code unshare(CLONE_FS)} before its {@code chdir}, so relative paths in {@code source}, {@code target} and
     * {@code data} resolve against {@code dir} while no other thread's working directory changes.
     */
    void mountIn(String dir, String source, String target, String type, long flags, String data);

    /**
     * {@link #mount} for data of any length the kernel can take. Data within {@link #MOUNT_DATA_MAX} bytes is passed
     * as it is. Longer data has the paths of its {@code lowerdir}, {@code upperdir} and {@code workdir} options made
     * relative to their longest common parent and is mounted with {@link #mountIn} there, as containerd's mount
     * helper does from a chdir'd child: an overlay of a snapshot per layer then takes hundreds of layers.
     *
     * @throws SyscallException E2BIG, naming the number of lower directories, if the data is still longer than a
     *     page or stacks more than {@link #OVERLAY_MAX_LOWER} of them; never a silently cut option string
     */
    default void mountLongData(String source, String target, String type, long flags, String data) {
        RelativeMountData relative = RelativeMountData.of(data);
        String op = "mount " + (type.isEmpty() ? source : type) + " with " + relative.lowerCount()
                + " lower directories to";
        if (relative.lowerCount() > OVERLAY_MAX_LOWER) {
            throw new SyscallException(op + " (overlayfs stacks at most " + OVERLAY_MAX_LOWER + ")", target,
                    Errno.E2BIG);
        }
        if (data.getBytes(StandardCharsets.UTF_8).length <= MOUNT_DATA_MAX) {
            mount(source, target, type, flags, data);
            return;
        }
        int length = relative.data().getBytes(StandardCharsets.UTF_8).length;
        if (relative.dir().isEmpty() || length > MOUNT_DATA_MAX) {
            throw new SyscallException(op + " (options of " + length + " bytes, even with paths relative to "
                    + relative.dir().map(Object::toString).orElse("a common parent") + "; the kernel takes "
                    + MOUNT_DATA_MAX + ")", target, Errno.E2BIG);
        }
        mountIn(relative.dir().get().toString(), source, target, type, flags, relative.data());
    }
}
