package dev.berth.runtime.cgroup.v1;

import dev.berth.runtime.cgroup.CgroupFs;
import dev.berth.runtime.spec.LinuxResources;
import java.nio.file.Path;

/** The v1 cpuset controller: the CPUs and memory nodes a container may use. */
final class CpusetController implements Controller {
    private static final String CPUS = "cpuset.cpus";
    private static final String MEMS = "cpuset.mems";

    private final CgroupFs fs;

    CpusetController(CgroupFs fs) {
        this.fs = fs;
    }

    @Override
    public String name() {
        return "cpuset";
    }

    @Override
    public boolean requested(LinuxResources r) {
        return r.cpu() != null && (notEmpty(r.cpu().cpus()) || notEmpty(r.cpu().mems()));
    }

    @Override
    public void set(Path dir, LinuxResources r) {
        if (r.cpu() == null) {
            return;
        }
        if (notEmpty(r.cpu().cpus())) {
            fs.write(dir.resolve(CPUS), r.cpu().cpus());
        }
        if (notEmpty(r.cpu().mems())) {
            fs.write(dir.resolve(MEMS), r.cpu().mems());
        }
    }

    /**
     * A new v1 cpuset starts with empty cpus and mems, and no task can join it then (ENOSPC), so each directory on
     * the way down takes its parent's values while its own are empty, as runc does.
     */
    void inheritIfEmpty(Path parent, Path dir) {
        for (String file : new String[] {CPUS, MEMS}) {
            if (fs.read(dir.resolve(file)).isBlank()) {
                fs.write(dir.resolve(file), fs.read(parent.resolve(file)));
            }
        }
    }

    private static boolean notEmpty(String s) {
        return s != null && !s.isEmpty();
    }
}
