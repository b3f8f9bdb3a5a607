package dev.berth.runtime.rootfs;

import static dev.berth.runtime.rootfs.MountFlags.*;

import dev.berth.runtime.spec.Linux;
import dev.berth.runtime.spec.Spec;
import dev.berth.runtime.spec.SpecException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What berth-init must do to build the container's filesystem view, resolved from the spec: the mounts in order
 * (with {@code cgroup} mounts expanded), the device nodes and /dev symlinks, and the paths to mask or make
 * read-only after {@code pivot_root}.
 *
 * <p>The set-up happens in the container's mount namespace, new or joined by path. Without a mount namespace of its
 * own the container shares the host's mount table, so a plan for it holds no mount at all: runc would make the host's
 * {@code /} a recursive slave, bind the rootfs onto itself and mount the spec's mounts there, all on the host, where
 * they outlive the container. Such a spec is refused instead ({@link #withoutMountNamespace}), and the container is
 * only chrooted into its rootfs after its device nodes are created, as runc does.
 */
public record RootfsPlan(
        String rootfs,
        long initialPropagation,
        List<Step> steps,
        List<String> maskedPaths,
        List<String> readonlyPaths,
        boolean readonlyRoot,
        long finalPropagation) {

    /** One step of the pre-pivot set-up, in order. */
    public sealed interface Step permits MountStep, DeviceStep, BindDeviceStep, SymlinkStep {}

    /** A mount; {@code fileTarget} when the mount point must be a file (a bind of a file). */
    public record MountStep(String source, String destination, String type, long flags, String data,
                            long propagation, boolean fileTarget) implements Step {}

    /** A device node created with mknod. */
    public record DeviceStep(String path, long fileType, long major, long minor, long mode, long uid, long gid)
            implements Step {}

    /** A device bind-mounted from the host (inside a user namespace, where mknod is not allowed). */
    public record BindDeviceStep(String path) implements Step {}

    public record SymlinkStep(String target, String linkPath) implements Step {}

    /** A cgroup hierarchy to show in the container: its directory name and the container's directory on the host. */
    public record CgroupDir(String name, String hostDir) {}

    public static final long S_IFCHR = 0020000;
    public static final long S_IFBLK = 0060000;
    public static final long S_IFIFO = 0010000;

    private static final List<Linux.Device> DEFAULT_DEVICES = List.of(
            new Linux.Device("c", "/dev/null", 1, 3, 0666L, 0L, 0L),
            new Linux.Device("c", "/dev/zero", 1, 5, 0666L, 0L, 0L),
            new Linux.Device("c", "/dev/full", 1, 7, 0666L, 0L, 0L),
            new Linux.Device("c", "/dev/random", 1, 8, 0666L, 0L, 0L),
            new Linux.Device("c", "/dev/urandom", 1, 9, 0666L, 0L, 0L),
            new Linux.Device("c", "/dev/tty", 5, 0, 0666L, 0L, 0L));

    /** The devices every container gets, as runc creates them. */
    public static List<Linux.Device> defaultDevices() {
        return DEFAULT_DEVICES;
    }

    /**
     * Resolves the spec's filesystem set-up.
     *
     * @param inUserNamespace devices are bind-mounted from the host instead of created
     * @param cgroupDirs the container's cgroup directories, for {@code cgroup} mounts
     */
    public static RootfsPlan from(Spec spec, Path bundle, boolean inUserNamespace, List<CgroupDir> cgroupDirs) {
        if (spec.root() == null || spec.root().path().isEmpty()) {
            throw new SpecException("root.path is required");
        }
        Path rootfs = bundle.resolve(spec.root().path()).normalize();
        if (!Files.isDirectory(rootfs)) {
            throw new SpecException("invalid rootfs: stat " + rootfs + ": "
                    + (Files.exists(rootfs) ? "not a directory" : "no such file or directory"));
        }
        List<Step> steps = new ArrayList<>();
        boolean devIsBound = false;
        for (Spec.Mount m : spec.mounts()) {
            String what = "mount " + m.source() + " to " + m.destination();
            MountOptions o = MountOptions.parse(m.options(), what);
            String type = m.type();
            if (type.equals("cgroup") || type.equals("cgroup2")) {
                addCgroupMounts(steps, m, o, cgroupDirs);
                continue;
            }
            boolean bind = (o.flags() & BIND) != 0 || type.equals("bind");
            String source = m.source();
            boolean fileTarget = false;
            if (bind) {
                Path src = bundle.resolve(source).normalize();
                if (!Files.exists(src)) {
                    throw new SpecException(what + ": stat " + src + ": no such file or directory");
                }
                source = src.toString();
                fileTarget = !Files.isDirectory(src);
                if (normalize(m.destination()).equals("/dev")) {
                    devIsBound = true;
                }
            }
            long flags = o.flags() | (bind ? BIND : 0);
            steps.add(new MountStep(source, normalize(m.destination()), bind ? "" : type, flags, o.data(),
                    o.propagation(), fileTarget));
        }
        if (!devIsBound) {
            addDevices(steps, spec.linux().devices(), inUserNamespace);
            steps.add(new SymlinkStep("/proc/self/fd", "/dev/fd"));
            steps.add(new SymlinkStep("/proc/self/fd/0", "/dev/stdin"));
            steps.add(new SymlinkStep("/proc/self/fd/1", "/dev/stdout"));
            steps.add(new SymlinkStep("/proc/self/fd/2", "/dev/stderr"));
            if (Files.exists(Path.of("/proc/kcore"))) {
                steps.add(new SymlinkStep("/proc/kcore", "/dev/core"));
            }
            steps.add(new SymlinkStep("pts/ptmx", "/dev/ptmx"));
        }
        String propagation = spec.linux().rootfsPropagation();
        return new RootfsPlan(rootfs.toString(), MountOptions.rootPropagation(propagation), List.copyOf(steps),
                spec.linux().maskedPaths(), spec.linux().readonlyPaths(), spec.root().readonly(),
                propagation.isEmpty() ? 0 : MountOptions.rootPropagation(propagation));
    }

    /**
     * Checks that this plan needs no mount, for a container without a mount namespace of its own: every mount, a
     * masked or read-only path, a read-only root, a root propagation or a device bound from the host would change
     * the host's mount table. runc's wording for masked and read-only paths.
     */
    public RootfsPlan withoutMountNamespace(boolean noPivot) {
        String why = "without a private MNT namespace";
        if (noPivot) {
            throw new SpecException("unable to use no-pivot " + why);
        }
        if (!maskedPaths.isEmpty() || !readonlyPaths.isEmpty()) {
            throw new SpecException("unable to restrict sys entries " + why);
        }
        if (readonlyRoot) {
            throw new SpecException("root.readonly: unable to make the rootfs read-only " + why);
        }
        if (finalPropagation != 0) {
            throw new SpecException("linux.rootfsPropagation: unable to set the rootfs propagation " + why);
        }
        for (Step step : steps) {
            if (step instanceof MountStep m) {
                throw new SpecException("mount " + m.source() + " to " + m.destination() + ": unable to mount " + why);
            }
            if (step instanceof BindDeviceStep d) {
                throw new SpecException("device " + d.path() + ": unable to bind-mount a device " + why);
            }
        }
        return this;
    }

    private static void addDevices(List<Step> steps, List<Linux.Device> specDevices, boolean inUserNamespace) {
        List<Linux.Device> all = new ArrayList<>(DEFAULT_DEVICES);
        for (Linux.Device d : specDevices) {
            all.removeIf(existing -> existing.path().equals(d.path()));
            all.add(d);
        }
        for (Linux.Device d : all) {
            String path = normalize(d.path());
            if (!path.startsWith("/dev/")) {
                throw new SpecException("device " + d.path() + ": path must be under /dev");
            }
            if (inUserNamespace) {
                steps.add(new BindDeviceStep(path));
                continue;
            }
            long fileType = switch (d.type()) {
                case "c", "u" -> S_IFCHR;
                case "b" -> S_IFBLK;
                case "p" -> S_IFIFO;
                default -> throw new SpecException("device " + d.path() + ": unknown device type " + d.type());
            };
            steps.add(new DeviceStep(path, fileType, d.major(), d.minor(),
                    d.fileMode() == null ? 0666 : d.fileMode() & 07777,
                    d.uid() == null ? 0 : d.uid(), d.gid() == null ? 0 : d.gid()));
        }
    }

    /**
     * A {@code cgroup} mount becomes a tmpfs with the container's own directory of each hierarchy bound into it,
     * as runc does on cgroup v1; read-only is applied after the binds, which need a writable tmpfs.
     */
    private static void addCgroupMounts(List<Step> steps, Spec.Mount m, MountOptions o, List<CgroupDir> dirs) {
        String dest = normalize(m.destination());
        long perMount = o.flags() & (NOSUID | NODEV | NOEXEC | RELATIME | NOATIME);
        boolean readonly = (o.flags() & RDONLY) != 0;
        if (dirs.size() == 1 && dirs.getFirst().name().isEmpty()) {
            // cgroup v2: the unified hierarchy is the mount itself
            steps.add(new MountStep(dirs.getFirst().hostDir(), dest, "", BIND | perMount | (readonly ? RDONLY : 0),
                    "", 0, false));
            return;
        }
        steps.add(new MountStep("tmpfs", dest, "tmpfs", perMount, "mode=755", 0, false));
        for (CgroupDir dir : dirs) {
            steps.add(new MountStep(dir.hostDir(), dest + "/" + dir.name(), "", BIND | perMount
                    | (readonly ? RDONLY : 0), "", 0, false));
            if (dir.name().contains(",")) {
                for (String part : dir.name().split(",")) {
                    steps.add(new SymlinkStep(dir.name(), dest + "/" + part));
                }
            }
        }
        if (readonly) {
            steps.add(new MountStep("", dest, "", REMOUNT | RDONLY | perMount, "", 0, false));
        }
    }

    private static String normalize(String path) {
        String p = Path.of("/").resolve(path).normalize().toString();
        return p;
    }
}
