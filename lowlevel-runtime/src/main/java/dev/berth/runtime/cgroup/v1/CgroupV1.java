package dev.berth.runtime.cgroup.v1;

import dev.berth.runtime.cgroup.Cgroup;
import dev.berth.runtime.cgroup.CgroupException;
import dev.berth.runtime.cgroup.CgroupFs;
import dev.berth.runtime.cgroup.CgroupStats;
import dev.berth.runtime.cgroup.FreezerState;
import dev.berth.runtime.cgroup.Hierarchy;
import dev.berth.runtime.spec.LinuxResources;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A container's cgroup on cgroup v1: one directory per mounted hierarchy (named ones such as {@code name=systemd}
 * included), each written by the controllers that hierarchy carries.
 */
public final class CgroupV1 implements Cgroup {
    /** Hierarchies tried in turn for {@link #pids()}; every hierarchy holds the same processes. */
    private static final List<String> PIDS_SOURCES = List.of("pids", "freezer", "devices", "memory", "cpu");

    private final List<Hierarchy> hierarchies;
    private final CgroupFs fs;
    private final CpusetController cpuset;
    private final MemoryController memory;
    private final CpuController cpu;
    private final CpuacctController cpuacct;
    private final PidsController pidsController;
    private final BlkioController blkio;
    private final HugetlbController hugetlb;
    private final FreezerController freezer;
    /** In runc's write order. */
    private final List<Controller> controllers;
    /** Whether {@link #create} made every directory already: a create's set after its apply need not again. */
    private boolean created;

    /** Use {@link dev.berth.runtime.cgroup.Cgroups#open}; {@code hierarchies} are already resolved. */
    public CgroupV1(List<Hierarchy> hierarchies, CgroupFs fs) {
        this.hierarchies = List.copyOf(hierarchies);
        this.fs = fs;
        this.cpuset = new CpusetController(fs);
        this.memory = new MemoryController(fs);
        this.cpu = new CpuController(fs);
        this.cpuacct = new CpuacctController(fs);
        this.pidsController = new PidsController(fs);
        this.blkio = new BlkioController(fs);
        this.hugetlb = new HugetlbController(fs);
        this.freezer = new FreezerController(fs);
        this.controllers = List.of(cpuset, new DevicesController(fs), memory, cpu, pidsController, blkio, hugetlb,
                new NetClsController(fs), new NetPrioController(fs));
    }

    @Override
    public void apply(long pid) {
        create();
        for (Hierarchy h : hierarchies) {
            fs.write(h.path().resolve("cgroup.procs"), Long.toString(pid));
        }
    }

    @Override
    public List<Path> joinFiles() {
        return hierarchies.stream().map(h -> h.path().resolve("tasks")).toList();
    }

    @Override
    public void set(LinuxResources resources) {
        // Refuse before writing anything, so a missing controller never leaves a half-applied update.
        for (Controller c : controllers) {
            if (c.requested(resources) && dir(c.name()).isEmpty()) {
                throw new CgroupException(c.name() + " cgroup controller is not mounted");
            }
        }
        create();
        for (Controller c : controllers) {
            dir(c.name()).ifPresent(d -> c.set(d, resources));
        }
    }

    @Override
    public void freeze() {
        freezer.freeze(required("freezer"));
    }

    @Override
    public void thaw() {
        freezer.thaw(required("freezer"));
    }

    @Override
    public FreezerState freezerState() {
        return dir("freezer").filter(fs::exists).map(freezer::state).orElse(FreezerState.THAWED);
    }

    @Override
    public List<Long> pids() {
        for (String name : PIDS_SOURCES) {
            Optional<Path> d = dir(name);
            if (d.isPresent()) {
                return fs.pidsRecursive(d.get());
            }
        }
        return hierarchies.isEmpty() ? List.of() : fs.pidsRecursive(hierarchies.getFirst().path());
    }

    @Override
    public CgroupStats stats() {
        return new CgroupStats(
                new CgroupStats.Cpu(dir("cpuacct").map(cpuacct::usage).orElse(CgroupStats.CpuUsage.EMPTY),
                        dir("cpu").map(cpu::throttling).orElse(CgroupStats.Throttling.EMPTY)),
                dir("memory").map(memory::stats).orElse(CgroupStats.Memory.EMPTY),
                dir("pids").map(pidsController::stats).orElse(CgroupStats.Pids.EMPTY),
                dir("blkio").map(blkio::stats).orElse(CgroupStats.Blkio.EMPTY),
                dir("hugetlb").map(hugetlb::stats).orElse(Map.of()));
    }

    @Override
    public long oomKillCount() {
        return memory.oomKillCount(required("memory"));
    }

    @Override
    public void destroy() {
        created = false;
        CgroupException first = null;
        for (Hierarchy h : hierarchies) {
            try {
                fs.removeTree(h.path());
            } catch (CgroupException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public boolean exists() {
        return hierarchies.stream().anyMatch(h -> fs.exists(h.path()));
    }

    @Override
    public List<Hierarchy> hierarchies() {
        return hierarchies;
    }

    @Override
    public Map<String, String> paths() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Hierarchy h : hierarchies) {
            for (String c : h.controllers().split(",")) {
                out.put(c, h.path().toString());
            }
        }
        return out;
    }

    /** Creates every missing directory from the mount point down; cpuset levels inherit cpus and mems. */
    private void create() {
        if (created) {
            return;
        }
        for (Hierarchy h : hierarchies) {
            if (!h.path().startsWith(h.mountPoint())) {
                throw new CgroupException("mkdir " + h.path() + ": not inside " + h.mountPoint());
            }
            Path current = h.mountPoint();
            for (Path name : h.mountPoint().relativize(h.path())) {
                Path parent = current;
                current = current.resolve(name);
                fs.mkdir(current);
                if (h.has("cpuset")) {
                    cpuset.inheritIfEmpty(parent, current);
                }
            }
        }
        created = true;
    }

    private Optional<Path> dir(String controller) {
        return hierarchies.stream().filter(h -> h.has(controller)).map(Hierarchy::path).findFirst();
    }

    private Path required(String controller) {
        return dir(controller).orElseThrow(() -> new CgroupException(controller + " cgroup controller is not mounted"));
    }
}
