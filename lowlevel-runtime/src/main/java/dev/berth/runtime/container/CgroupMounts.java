package dev.berth.runtime.container;

import dev.berth.runtime.cgroup.Cgroup;
import dev.berth.runtime.rootfs.RootfsPlan;
import java.util.ArrayList;
import java.util.List;

/** The container's cgroup directories as a {@code cgroup} mount shows them inside the container. */
final class CgroupMounts {
    private CgroupMounts() {}

    static List<RootfsPlan.CgroupDir> dirs(Cgroup cgroup) {
        List<RootfsPlan.CgroupDir> dirs = new ArrayList<>();
        for (Cgroup.Hierarchy h : cgroup.hierarchies()) {
            dirs.add(new RootfsPlan.CgroupDir(h.directoryName(), h.path().toString()));
        }
        return dirs;
    }
}
