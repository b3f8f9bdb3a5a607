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
            // named hierarchies (name=systemd) appear under their name, as on the host
            String name = h.controllers().startsWith("name=") ? h.controllers().substring(5) : h.controllers();
            dirs.add(new RootfsPlan.CgroupDir(name, h.path().toString()));
        }
        return dirs;
    }
}
