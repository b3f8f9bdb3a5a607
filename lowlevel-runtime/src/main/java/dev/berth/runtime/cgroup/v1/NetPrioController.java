package dev.berth.runtime.cgroup.v1;

import dev.berth.runtime.cgroup.CgroupFs;
import dev.berth.runtime.spec.LinuxResources;
import java.nio.file.Path;

/** The v1 net_prio controller: a priority per network interface ({@code net_prio.ifpriomap}, one write each). */
final class NetPrioController implements Controller {
    private final CgroupFs fs;

    NetPrioController(CgroupFs fs) {
        this.fs = fs;
    }

    @Override
    public String name() {
        return "net_prio";
    }

    @Override
    public boolean requested(LinuxResources r) {
        return r.network() != null && !r.network().priorities().isEmpty();
    }

    @Override
    public void set(Path dir, LinuxResources r) {
        if (!requested(r)) {
            return;
        }
        // the kernel parses one "<interface> <priority>" pair per write
        for (LinuxResources.InterfacePriority p : r.network().priorities()) {
            fs.write(dir.resolve("net_prio.ifpriomap"), p.name() + " " + p.priority());
        }
    }
}
