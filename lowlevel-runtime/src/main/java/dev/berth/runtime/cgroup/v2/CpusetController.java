package dev.berth.runtime.cgroup.v2;

import dev.berth.runtime.cgroup.CgroupFs;
import dev.berth.runtime.spec.LinuxResources;
import java.nio.file.Path;

/** The v2 cpuset controller; unlike v1, an empty value means "inherit", so nothing is copied from parents. */
final class CpusetController implements Controller {
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
            fs.write(dir.resolve("cpuset.cpus"), r.cpu().cpus());
        }
        if (notEmpty(r.cpu().mems())) {
            fs.write(dir.resolve("cpuset.mems"), r.cpu().mems());
        }
    }

    private static boolean notEmpty(String s) {
        return s != null && !s.isEmpty();
    }
}
