package dev.berth.runtime.cgroup;

import java.nio.file.Path;

/**
 * runc's cgroupfs path rules: which host directory a spec {@code cgroupsPath} names in a hierarchy.
 *
 * <ul>
 *   <li>absolute ({@code /a/b}): relative to the hierarchy's mount point;</li>
 *   <li>relative ({@code a/b}): relative to the calling process's own cgroup in that hierarchy (v1), or to the
 *       parent of its own cgroup (v2, because the own cgroup most likely has processes, so it cannot enable
 *       controllers for a child);</li>
 *   <li>empty: the container id, relative as above.</li>
 * </ul>
 * A relative path is cleaned as if rooted, so {@code ../x} cannot climb above the own cgroup.
 */
final class CgroupPaths {

    private CgroupPaths() {}

    /** The cleaned inner path: absolute stays absolute, relative stays relative, empty becomes the id. */
    static String inner(String cgroupsPath, String containerId) {
        String p = cgroupsPath == null || cgroupsPath.isEmpty() ? containerId : cgroupsPath;
        if (p == null || p.isEmpty()) {
            throw new CgroupException("resolve cgroup path: neither cgroupsPath nor container id given");
        }
        boolean absolute = p.startsWith("/");
        String cleaned = Path.of("/").resolve(p).normalize().toString();
        if (absolute) {
            return cleaned;
        }
        String rel = cleaned.substring(1);
        if (rel.isEmpty()) {
            throw new CgroupException("resolve cgroup path " + p + ": names the current cgroup itself");
        }
        return rel;
    }

    /** The container's host directory in a v1 hierarchy. */
    static Path v1(CgroupMount mount, String inner, OwnCgroups own, CgroupHost host) {
        Path mountPoint = host.resolve(mount.mountPoint());
        if (inner.startsWith("/")) {
            return join(mountPoint, inner);
        }
        String ownPath = own.pathOf(mount.controllerSet()).orElseThrow(() -> new CgroupException(
                "read " + host.procSelfCgroup() + ": no entry for cgroup hierarchy " + mount.controllers()));
        return join(join(mountPoint, underRoot(ownPath, mount.root())), inner);
    }

    /** The container's host directory in the v2 unified hierarchy. */
    static Path v2(CgroupMount mount, String inner, OwnCgroups own, CgroupHost host) {
        Path mountPoint = host.resolve(mount.mountPoint());
        if (inner.startsWith("/")) {
            return join(mountPoint, inner);
        }
        String ownPath = own.pathOf(java.util.Set.of()).orElseThrow(() -> new CgroupException(
                "read " + host.procSelfCgroup() + ": no entry for the unified cgroup hierarchy"));
        Path parent = Path.of(underRoot(ownPath, mount.root())).getParent();
        return join(join(mountPoint, parent == null ? "/" : parent.toString()), inner);
    }

    /** A cgroup path as seen from inside a mount of {@code root} (a bind mount of a sub-hierarchy). */
    private static String underRoot(String path, String root) {
        if (root.equals("/") || !(path.equals(root) || path.startsWith(root + "/"))) {
            return path;
        }
        String rest = path.substring(root.length());
        return rest.isEmpty() ? "/" : rest;
    }

    private static Path join(Path base, String path) {
        String rel = path.startsWith("/") ? path.substring(1) : path;
        return rel.isEmpty() ? base : base.resolve(rel).normalize();
    }
}
