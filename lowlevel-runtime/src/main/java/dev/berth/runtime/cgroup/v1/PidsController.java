package dev.berth.runtime.cgroup.v1;

import dev.berth.runtime.cgroup.CgroupFs;
import dev.berth.runtime.cgroup.CgroupStats;
import dev.berth.runtime.spec.LinuxResources;
import java.nio.file.Path;

/** The v1 pids controller: the task limit; a limit of 0 or below means unlimited. */
final class PidsController implements Controller {
    private final CgroupFs fs;

    PidsController(CgroupFs fs) {
        this.fs = fs;
    }

    @Override
    public String name() {
        return "pids";
    }

    @Override
    public boolean requested(LinuxResources r) {
        return r.pids() != null;
    }

    @Override
    public void set(Path dir, LinuxResources r) {
        if (r.pids() != null) {
            fs.write(dir.resolve("pids.max"), r.pids().limit() > 0 ? Long.toString(r.pids().limit()) : "max");
        }
    }

    CgroupStats.Pids stats(Path dir) {
        long limit = fs.readLongIfExists(dir.resolve("pids.max"));
        return new CgroupStats.Pids(fs.readLongIfExists(dir.resolve("pids.current")), limit == -1 ? 0 : limit);
    }
}
