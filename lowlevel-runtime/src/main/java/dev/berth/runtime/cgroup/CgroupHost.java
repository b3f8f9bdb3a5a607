package dev.berth.runtime.cgroup;

import java.nio.file.Path;

/**
 * Where cgroup code learns about the host: the mount table, the calling process's own cgroups, the root that mount
 * points are relative to, and the filesystem operations; {@link #system()} is the real machine.
 *
 * @param mountInfo      a file in {@code /proc/self/mountinfo} format
 * @param procSelfCgroup a file in {@code /proc/self/cgroup} format
 * @param root           prefix for every mount point read from {@code mountInfo} ({@code /} on the real machine)
 * @param fs             the file operations
 */
public record CgroupHost(Path mountInfo, Path procSelfCgroup, Path root, CgroupFs fs) {

    public static CgroupHost system() {
        return new CgroupHost(Path.of("/proc/self/mountinfo"), Path.of("/proc/self/cgroup"), Path.of("/"),
                CgroupFs.host());
    }

    /** The host path of an absolute path as seen in mountinfo. */
    Path resolve(String absolute) {
        return root.resolve(absolute.substring(1));
    }
}
