package dev.berth.runtime.cgroup;

import dev.berth.runtime.cgroup.v1.CgroupV1;
import dev.berth.runtime.cgroup.v2.CgroupV2;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Opens a container's {@link Cgroup}, choosing cgroup v1 or v2 once from the mount table: v2 when
 * {@code /sys/fs/cgroup} itself is a cgroup2 mount, v1 otherwise (including hybrid hosts, whose extra cgroup2 mount,
 * e.g. {@code /sys/fs/cgroup/unified}, is not managed).
 */
public final class Cgroups {

    static final String UNIFIED_MOUNT_POINT = "/sys/fs/cgroup";

    private Cgroups() {}

    /** {@link #open(String, String, CgroupHost)} on the real machine. */
    public static Cgroup open(String cgroupsPath, String containerId) {
        return open(cgroupsPath, containerId, CgroupHost.system());
    }

    /**
     * Resolves the container's cgroup directories by runc's cgroupfs rules (see {@link CgroupPaths}) without
     * creating anything.
     *
     * @param cgroupsPath the spec's {@code linux.cgroupsPath}; null or empty means the container id
     * @param containerId the container id
     */
    public static Cgroup open(String cgroupsPath, String containerId, CgroupHost host) {
        List<CgroupMount> mounts = CgroupMount.read(host.mountInfo());
        String inner = CgroupPaths.inner(cgroupsPath, containerId);
        OwnCgroups own = inner.startsWith("/") ? OwnCgroups.parse("") : OwnCgroups.read(host.procSelfCgroup());
        Optional<CgroupMount> unified = unifiedMount(mounts);
        if (unified.isPresent()) {
            CgroupMount m = unified.get();
            return new CgroupV2(new Hierarchy(host.resolve(m.mountPoint()), "", CgroupPaths.v2(m, inner, own, host)),
                    host.fs());
        }
        List<Hierarchy> hierarchies = new ArrayList<>();
        for (CgroupMount m : v1Mounts(mounts, host)) {
            hierarchies.add(new Hierarchy(host.resolve(m.mountPoint()), m.controllers(),
                    CgroupPaths.v1(m, inner, own, host)));
        }
        return new CgroupV1(hierarchies, host.fs());
    }

    /** {@link #load(Map, CgroupHost)} on the real machine. */
    public static Cgroup load(Map<String, String> paths) {
        return load(paths, CgroupHost.system());
    }

    /**
     * Reopens an existing container's cgroup from the saved form {@link Cgroup#paths()}. v1 hierarchies that the
     * saved form does not mention are left out.
     */
    public static Cgroup load(Map<String, String> paths, CgroupHost host) {
        List<CgroupMount> mounts = CgroupMount.read(host.mountInfo());
        if (paths.containsKey("")) {
            CgroupMount m = unifiedMount(mounts).orElseThrow(() -> new CgroupException(
                    "load cgroup " + paths.get("") + ": " + UNIFIED_MOUNT_POINT + " is not a cgroup2 mount"));
            return new CgroupV2(new Hierarchy(host.resolve(m.mountPoint()), "", Path.of(paths.get(""))), host.fs());
        }
        List<Hierarchy> hierarchies = new ArrayList<>();
        for (CgroupMount m : v1Mounts(mounts, host)) {
            m.controllerSet().stream().map(paths::get).filter(p -> p != null).findFirst().ifPresent(p ->
                    hierarchies.add(new Hierarchy(host.resolve(m.mountPoint()), m.controllers(), Path.of(p))));
        }
        return new CgroupV1(hierarchies, host.fs());
    }

    private static Optional<CgroupMount> unifiedMount(List<CgroupMount> mounts) {
        return mounts.stream().filter(m -> m.isV2() && m.mountPoint().equals(UNIFIED_MOUNT_POINT)).findFirst();
    }

    private static List<CgroupMount> v1Mounts(List<CgroupMount> mounts, CgroupHost host) {
        List<CgroupMount> v1 = mounts.stream().filter(m -> !m.isV2() && !m.controllers().isEmpty()).toList();
        if (v1.isEmpty()) {
            throw new CgroupException("read " + host.mountInfo() + ": no cgroup hierarchy is mounted");
        }
        return v1;
    }
}
