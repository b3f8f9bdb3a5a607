package dev.berth.manager.engine.volume;

import dev.berth.api.errdefs.BerthException;
import dev.berth.manager.fs.FileStat;
import dev.berth.manager.fs.FileType;
import dev.berth.manager.fs.Permissions;
import dev.berth.model.ContainerConfig;
import dev.berth.model.HostConfig;
import dev.berth.model.Mount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One container's mount resolution, in moby's order ({@code registerMountPoints}, then the image's volumes in
 * {@code createContainerOSSpecificSettings}): the mounts of {@code --volumes-from} containers first; then tmpfs,
 * binds and {@code --mount}s, which replace a volumes-from mount at the same destination but may not repeat one
 * another ("Duplicate mount point"); then an anonymous volume for each image {@code VOLUME} whose destination is
 * still free.
 */
final class MountResolver {
    private final Volumes volumes;
    private final String namespace;
    private final String containerId;
    private final Path rootfs;
    private final List<String> created = new ArrayList<>();

    MountResolver(Volumes volumes, String namespace, String containerId, Path rootfs) {
        this.volumes = volumes;
        this.namespace = namespace;
        this.containerId = containerId;
        this.rootfs = rootfs;
    }

    /** Either a mount taken as it is from another container, or a request to resolve. */
    private record Planned(ContainerMount inherited, MountRequest request) {
    }

    List<ContainerMount> resolve(ContainerConfig config, HostConfig host, VolumesFromSource volumesFrom)
            throws IOException {
        String driver = host.volumeDriver();
        if (driver != null && !driver.isEmpty() && !driver.equals("local")) {
            throw BerthException.notFound("error looking up volume plugin " + driver + ": plugin \"" + driver
                    + "\" not found");
        }
        Map<String, Planned> byDestination = new LinkedHashMap<>();
        List<MountRequest> explicit = new ArrayList<>();
        // parse everything before touching anything
        if (host.tmpfs() != null) {
            host.tmpfs().forEach((dst, data) -> explicit.add(MountRequest.ofTmpfs(dst, data)));
        }
        if (host.binds() != null) {
            host.binds().forEach(b -> explicit.add(MountRequest.ofBind(b)));
        }
        if (host.mounts() != null) {
            for (Mount m : host.mounts()) {
                explicit.add(MountRequest.ofMount(m));
            }
        }
        List<String> imageVolumes = new ArrayList<>();
        if (config != null && config.volumes() != null) {
            for (String v : config.volumes().keySet()) {
                imageVolumes.add(MountRequest.containerPath(MountRequest.VOLUME, v));
            }
        }
        if (host.volumesFrom() != null) {
            for (String spec : host.volumesFrom()) {
                for (ContainerMount m : inherit(spec, volumesFrom)) {
                    byDestination.put(m.destination(), new Planned(m, null));
                }
            }
        }
        Set<String> taken = new HashSet<>();
        for (MountRequest r : explicit) {
            if (!taken.add(r.destination())) {
                throw BerthException.invalidArgument("Duplicate mount point: " + r.destination());
            }
            byDestination.put(r.destination(), new Planned(null, r));
        }
        for (String dst : imageVolumes) {
            byDestination.putIfAbsent(dst, new Planned(null, MountRequest.ofImageVolume(dst)));
        }
        List<ContainerMount> out = new ArrayList<>();
        try {
            for (Planned p : byDestination.values()) {
                ContainerMount m = p.inherited() != null ? p.inherited() : materialize(p.request());
                if (m.type().equals(MountRequest.VOLUME)) {
                    volumes.reserve(namespace, m.name(), containerId);
                }
                out.add(m);
            }
        } catch (IOException | RuntimeException e) {
            volumes.discard(namespace, containerId, created);
            throw e;
        }
        // parents before children, as docker's sortMounts (stable: equal depths keep their order)
        out.sort(Comparator.comparingInt(m -> m.destination().split("/").length));
        return List.copyOf(out);
    }

    /** {@code container[:ro|:rw]}: the other container's binds and volumes, read-only if asked. */
    private List<ContainerMount> inherit(String spec, VolumesFromSource source) throws IOException {
        if (spec.isEmpty()) {
            throw BerthException.invalidArgument("volumes-from specification cannot be an empty string");
        }
        int colon = spec.indexOf(':');
        String container = colon < 0 ? spec : spec.substring(0, colon);
        String mode = colon < 0 ? "" : spec.substring(colon + 1);
        if (!mode.isEmpty() && !mode.equals("ro") && !mode.equals("rw")) {
            throw BerthException.invalidArgument("invalid mode: " + mode);
        }
        List<ContainerMount> out = new ArrayList<>();
        for (ContainerMount m : source.mountsOf(namespace, container)) {
            if (m.type().equals(MountRequest.TMPFS)) {
                continue;
            }
            boolean rw = m.readWrite() && !mode.equals("ro");
            out.add(new ContainerMount(m.type(), m.name(), m.source(), m.destination(),
                    mode.isEmpty() ? m.mode() : mode, rw, m.propagation(), false, options(!rw,
                    m.propagation().isEmpty() ? "rprivate" : m.propagation(), false)));
        }
        return out;
    }

    private ContainerMount materialize(MountRequest r) throws IOException {
        return switch (r.type()) {
            case MountRequest.BIND -> bind(r);
            case MountRequest.VOLUME -> volume(r);
            default -> new ContainerMount(MountRequest.TMPFS, "", "", r.destination(), r.mode(), !r.readOnly(), "",
                    false, TmpfsOptions.merge(r.destination(), r.tmpfsData()));
        };
    }

    /** {@code -v} creates a missing source directory (0755, as docker); {@code --mount} refuses it. */
    private ContainerMount bind(MountRequest r) throws IOException {
        Path source = Path.of(r.source());
        if (ContainerFs.lstat(source).isEmpty() && !Files.exists(source)) {
            if (r.origin() == MountRequest.Origin.MOUNTS) {
                throw MountRequest.mountConfig(MountRequest.BIND, "bind source path does not exist: "
                        + r.source());
            }
            Permissions.createDirectories(source, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return new ContainerMount(MountRequest.BIND, "", r.source(), r.destination(), r.mode(), !r.readOnly(),
                r.propagation(), false, options(r.readOnly(), r.propagation(), r.nonRecursive()));
    }

    private ContainerMount volume(MountRequest r) throws IOException {
        boolean anonymous = r.source().isEmpty();
        String name = anonymous ? volumes.generateName() : r.source();
        volumes.obtain(namespace, name, r.volumeLabels(), anonymous, created);
        if (!r.noCopy()) {
            Optional<Path> image = imageDirectory(r.destination());
            if (image.isPresent()) {
                volumes.copyUp(namespace, name, image.get());
            }
        }
        return new ContainerMount(MountRequest.VOLUME, name, volumes.dataDir(namespace, name).toString(),
                r.destination(), r.mode(), !r.readOnly(), "", anonymous,
                options(r.readOnly(), "rprivate", false));
    }

    /** The directory of the image at {@code destination}, resolved inside the rootfs; empty if there is none. */
    private Optional<Path> imageDirectory(String destination) throws IOException {
        if (rootfs == null) {
            return Optional.empty();
        }
        ContainerFs.Location at = new ContainerFs(rootfs, List.of()).resolve(destination, true);
        Optional<FileStat> st = ContainerFs.lstat(at.host());
        return st.isPresent() && st.get().type() == FileType.DIRECTORY ? Optional.of(at.host()) : Optional.empty();
    }

    /** The OCI options of a bind or volume: rbind (bind if non-recursive), ro if read-only, the propagation. */
    private static List<String> options(boolean readOnly, String propagation, boolean nonRecursive) {
        List<String> o = new ArrayList<>();
        o.add(nonRecursive ? "bind" : "rbind");
        if (readOnly) {
            o.add("ro");
        }
        o.add(propagation.isEmpty() ? "rprivate" : propagation);
        return o;
    }
}
