package dev.berth.runtime.cgroup;

import java.nio.file.Path;

/**
 * One cgroup hierarchy a container belongs to: where it is mounted on the host, which controllers it carries, and the
 * container's own directory in it.
 *
 * @param mountPoint  the hierarchy's mount point on the host, e.g. {@code /sys/fs/cgroup/cpu}
 * @param controllers the controllers as in the mount's super options without generic flags: {@code memory},
 *                    {@code cpu,cpuacct}, {@code name=systemd}; empty for the cgroup v2 unified hierarchy
 * @param path        the container's absolute host directory inside {@code mountPoint}
 */
public record Hierarchy(Path mountPoint, String controllers, Path path) {

    /** Whether this hierarchy carries {@code controller} (e.g. {@code cpu} in {@code cpu,cpuacct}). */
    public boolean has(String controller) {
        for (String c : controllers.split(",")) {
            if (c.equals(controller)) {
                return true;
            }
        }
        return false;
    }
}
