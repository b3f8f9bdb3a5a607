package dev.berth.runtime.cgroup.v2;

import dev.berth.runtime.cgroup.Cgroup;
import dev.berth.runtime.cgroup.CgroupException;
import dev.berth.runtime.cgroup.CgroupFs;
import dev.berth.runtime.cgroup.CgroupStats;
import dev.berth.runtime.cgroup.FreezerState;
import dev.berth.runtime.cgroup.Hierarchy;
import dev.berth.runtime.spec.LinuxResources;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A container's cgroup on cgroup v2: one directory in the unified hierarchy, with every available controller enabled
 * in the {@code cgroup.subtree_control} of each ancestor.
 */
public final class CgroupV2 implements Cgroup {
    private final Hierarchy unified;
    private final Path dir;
    private final CgroupFs fs;
    private final MemoryController memory;
    private final CpuController cpu;
    private final PidsController pids;
    private final IoController io;
    private final HugetlbController hugetlb;
    private final FreezerFiles freezer;
    private final UnifiedFiles unifiedFiles;
    /** In runc's write order; the unified map comes last so that it overrides. */
    private final List<Controller> controllers;

    /** Use {@link dev.berth.runtime.cgroup.Cgroups#open}; {@code unified} is already resolved. */
    public CgroupV2(Hierarchy unified, CgroupFs fs) {
        this.unified = unified;
        this.dir = unified.path();
        this.fs = fs;
        this.memory = new MemoryController(fs);
        this.cpu = new CpuController(fs);
        this.pids = new PidsController(fs);
        this.io = new IoController(fs);
        this.hugetlb = new HugetlbController(fs);
        this.freezer = new FreezerFiles(fs);
        this.unifiedFiles = new UnifiedFiles(fs);
        this.controllers = List.of(pids, memory, io, cpu, new CpusetController(fs), hugetlb);
    }

    @Override
    public void apply(long pid) {
        create();
        fs.write(dir.resolve("cgroup.procs"), Long.toString(pid));
    }

    @Override
    public void set(LinuxResources resources) {
        DevicePolicy.check(dir, resources.devices());
        refuseNetwork(resources.network());
        create();
        Set<String> available = controllersOf(dir);
        for (Controller c : controllers) {
            if (c.requested(resources) && !available.contains(c.name())) {
                throw new CgroupException(c.name() + " cgroup controller is not available in "
                        + dir.resolve("cgroup.controllers"));
            }
        }
        for (Controller c : controllers) {
            c.set(dir, resources);
        }
        unifiedFiles.set(dir, resources.unified());
    }

    /** cgroup v2 has neither net_cls nor net_prio (eBPF replaces them): refused before anything is created. */
    private static void refuseNetwork(LinuxResources.Network network) {
        if (network == null) {
            return;
        }
        if (network.classID() != null) {
            throw new CgroupException("net_cls cgroup controller is not available on cgroup v2");
        }
        if (!network.priorities().isEmpty()) {
            throw new CgroupException("net_prio cgroup controller is not available on cgroup v2");
        }
    }

    @Override
    public void freeze() {
        freezer.freeze(dir);
    }

    @Override
    public void thaw() {
        freezer.thaw(dir);
    }

    @Override
    public FreezerState freezerState() {
        return fs.exists(dir) ? freezer.state(dir) : FreezerState.THAWED;
    }

    @Override
    public List<Long> pids() {
        return fs.pidsRecursive(dir);
    }

    @Override
    public CgroupStats stats() {
        return new CgroupStats(cpu.stats(dir), memory.stats(dir), pids.stats(dir), io.stats(dir), hugetlb.stats(dir));
    }

    @Override
    public long oomKillCount() {
        return memory.oomKillCount(dir);
    }

    @Override
    public void destroy() {
        fs.removeTree(dir);
    }

    @Override
    public boolean exists() {
        return fs.exists(dir);
    }

    @Override
    public List<Hierarchy> hierarchies() {
        return List.of(unified);
    }

    @Override
    public Map<String, String> paths() {
        return Map.of("", dir.toString());
    }

    /**
     * Creates missing directories from the mount point down. A controller's files appear in a cgroup only when its
     * parent lists it in {@code cgroup.subtree_control}, so each ancestor enables all it has, as runc does; one it
     * cannot enable (e.g. a threaded-only controller) is skipped and missed later only if a limit needs it.
     */
    private void create() {
        if (!dir.startsWith(unified.mountPoint())) {
            throw new CgroupException("mkdir " + dir + ": not inside " + unified.mountPoint());
        }
        Path current = unified.mountPoint();
        for (Path name : unified.mountPoint().relativize(dir)) {
            enableControllers(current);
            current = current.resolve(name);
            fs.mkdir(current);
        }
    }

    private void enableControllers(Path parent) {
        Set<String> enabled = split(fs.read(parent.resolve("cgroup.subtree_control")));
        List<String> missing = controllersOf(parent).stream().filter(c -> !enabled.contains(c)).sorted().toList();
        if (missing.isEmpty()) {
            return;
        }
        Path file = parent.resolve("cgroup.subtree_control");
        try {
            fs.write(file, missing.stream().map(c -> "+" + c).collect(Collectors.joining(" ")));
        } catch (CgroupException all) {
            for (String c : missing) {
                try {
                    fs.write(file, "+" + c);
                } catch (CgroupException one) {
                    // not enableable here; a limit that needs it fails with "not available" in set()
                }
            }
        }
    }

    private Set<String> controllersOf(Path d) {
        Path file = d.resolve("cgroup.controllers");
        return fs.exists(file) ? split(fs.read(file)) : Set.of();
    }

    private static Set<String> split(String s) {
        return Arrays.stream(s.trim().split("\\s+")).filter(x -> !x.isEmpty()).collect(Collectors.toSet());
    }
}
