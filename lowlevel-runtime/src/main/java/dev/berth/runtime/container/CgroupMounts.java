package dev.berth.runtime.container;

import dev.berth.runtime.cgroup.Cgroup;
import dev.berth.runtime.cgroup.Hierarchy;
import dev.berth.runtime.rootfs.RootfsPlan;
import java.util.ArrayList;
import java.util.List;

/** The container's cgroup directories as a {@code cgroup} mount shows them inside the container. */
final class CgroupMounts {
    private CgroupMounts() {}

    static List<RootfsPlan.CgroupDir> dirs(Cgroup cgroup) {
        List<RootfsPlan.CgroupDir> dirs = new ArrayList<>();
        for (Hierarchy h : cgroup.hierarchies()) {
            // each hierarchy appears under its host mount point's name (cpu,cpuacct, systemd); v2 is the mount itself
            String name = h.controllers().isEmpty() ? "" : h.mountPoint().getFileName().toString();
            dirs.add(new RootfsPlan.CgroupDir(name, h.path().toString()));
        }
        return dirs;
    }
}
