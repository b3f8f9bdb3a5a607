package dev.berth.runtime.cgroup.v1;

import dev.berth.runtime.cgroup.CgroupFs;
import dev.berth.runtime.spec.LinuxResources;
import java.nio.file.Path;

/** The v1 net_cls controller: the class id tagged on the container's packets ({@code net_cls.classid}). */
final class NetClsController implements Controller {
    private final CgroupFs fs;

    NetClsController(CgroupFs fs) {
        this.fs = fs;
    }

    @Override
    public String name() {
        return "net_cls";
    }

    @Override
    public boolean requested(LinuxResources r) {
        return r.network() != null && r.network().classID() != null;
    }

    @Override
    public void set(Path dir, LinuxResources r) {
        if (requested(r)) {
            fs.write(dir.resolve("net_cls.classid"), Long.toString(r.network().classID()));
        }
    }
}
