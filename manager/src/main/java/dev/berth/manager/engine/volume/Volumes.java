package dev.berth.manager.engine.volume;

import dev.berth.api.errdefs.BerthException;
import dev.berth.log.Log;
import dev.berth.manager.fs.FileStat;
import dev.berth.manager.fs.FileType;
import dev.berth.manager.fs.Permissions;
import dev.berth.manager.fs.TreeCopier;
import dev.berth.manager.fs.TreeDeleter;
import dev.berth.manager.metadata.EngineRecord;
import dev.berth.manager.metadata.EngineStore;
import dev.berth.manager.metadata.MetadataDb;
import dev.berth.manager.metadata.NamespaceRecord;
import dev.berth.model.ContainerConfig;
import dev.berth.model.HostConfig;
import dev.berth.model.Volume;
import dev.berth.model.VolumeCreateOptions;
import dev.berth.sys.FileSyscalls;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * docker's local volumes of each namespace, and the resolution of a container's mounts into them.
 *
 * <p>On disk: {@code <volumesRoot>/<namespace>/<name>/_data} (0755; the volumes root 0700), beside the volume's
 * record in {@code engine_volumes} (labels, options, creation time, anonymous). The namespace is in the path
 * because names are unique per namespace, as docker's are per daemon. A volume is in use while a container of
 * the engine mounts it ({@link VolumeUsers}) or a container being created has resolved it and not yet been
 * released; a volume in use cannot be removed or pruned.
 *
 * <p>At start ({@link #recover()}) the records and the directories are made to agree as docker's local driver
 * and volume store do: a directory without a record is adopted as a volume without labels (its data is kept:
 * that is also what a crash between a remove's record delete and its directory delete leaves); a record whose
 * directory is gone is dropped (the data is gone; a container naming the volume creates it again on first use).
 */
public final class Volumes {
    private static final Log LOG = Log.of(Volumes.class);
    private static final String LOCAL = "local";
    private static final String DATA = "_data";
    private static final String COPY_UP = ".copy-up";

    private final MetadataDb db;
    private final Path root;
    private final VolumeUsers users;
    private final Clock clock;
    private final TreeCopier copier;
    private final VolumeName names = new VolumeName();
    private final VolumeEvents events;
    private final Object lock = new Object();
    /** Volumes resolved for a container not yet released: namespace/name → container ids. */
    private final Map<String, Set<String>> reserved = new HashMap<>();

    public Volumes(MetadataDb db, Path volumesRoot, VolumeUsers users, Clock clock, FileSyscalls sys) {
        this(db, volumesRoot, users, clock, sys, VolumeEvents.NONE);
    }

    /** @param events told of each volume created and destroyed (docker's volume events) */
    public Volumes(MetadataDb db, Path volumesRoot, VolumeUsers users, Clock clock, FileSyscalls sys,
                   VolumeEvents events) {
        this.events = events;
        this.db = db;
        this.root = volumesRoot;
        this.users = users;
        this.clock = clock;
        this.copier = new TreeCopier(sys);
    }

    /** What a prune removed: the volumes' names and the bytes their files held. */
    public record PruneReport(List<String> deleted, long spaceReclaimed) {
        public PruneReport {
            deleted = List.copyOf(deleted);
        }
    }

    /** What {@link #recover()} found out of step: volumes adopted from directories, records dropped. */
    public record Recovery(List<String> adopted, List<String> dropped) {
        public Recovery {
            adopted = List.copyOf(adopted);
            dropped = List.copyOf(dropped);
        }
    }

    /**
     * Creates a local volume (docker's {@code volume create}); an existing volume of that name is answered as it
     * is, as docker does. An empty name is generated (64 hex digits).
     */
    public Volume create(String namespace, VolumeCreateOptions options) throws IOException {
        String driver = options.driver() == null || options.driver().isEmpty() ? LOCAL : options.driver();
        if (!driver.equals(LOCAL)) {
            throw BerthException.notFound("create " + nameOr(options.name()) + ": error looking up volume plugin "
                    + driver + ": plugin \"" + driver + "\" not found");
        }
        String name = options.name() == null || options.name().isEmpty() ? names.generate() : options.name();
        VolumeName.validate("create", name);
        if (options.driverOpts() != null && !options.driverOpts().isEmpty()) {
            throw BerthException.invalidArgument("create " + name + ": driver options " + new TreeSet<>(
                    options.driverOpts().keySet()) + " are not supported by berth's local driver");
        }
        synchronized (lock) {
            Optional<EngineRecord> existing = store(namespace).get(name);
            if (existing.isPresent()) {
                events.volume(namespace, "create", name); // as moby's volume service, for an existing one too
                return toVolume(namespace, VolumeRecord.parse(existing.get().json()));
            }
            return toVolume(namespace, add(namespace, name, options.labels(), false));
        }
    }

    /** docker's volume inspect; NOT_FOUND "get NAME: no such volume". */
    public Volume inspect(String namespace, String name) throws IOException {
        return toVolume(namespace, get(namespace, name));
    }

    /** docker's volume list with its filters (name, label, dangling, driver), oldest first. */
    public List<Volume> list(String namespace, Map<String, List<String>> filters) throws IOException {
        VolumeFilter filter = VolumeFilter.forList(filters);
        List<Volume> out = new ArrayList<>();
        for (EngineRecord r : store(namespace).list()) {
            VolumeRecord v = VolumeRecord.parse(r.json());
            if (filter.matches(v, () -> inUse(namespace, v.name()).isEmpty())) {
                out.add(toVolume(namespace, v));
            }
        }
        return out;
    }

    /**
     * Removes a volume that no container uses (FAILED_PRECONDITION with docker's "remove NAME: volume is in use
     * - [ids]" otherwise, with or without {@code force}); {@code force} only makes a missing volume no error.
     */
    public void remove(String namespace, String name, boolean force) throws IOException {
        synchronized (lock) {
            Optional<EngineRecord> existing = store(namespace).get(name);
            if (existing.isEmpty()) {
                if (force) {
                    return;
                }
                throw noSuchVolume(name);
            }
            List<String> using = inUse(namespace, name);
            if (!using.isEmpty()) {
                throw BerthException.failedPrecondition("remove " + name + ": volume is in use - ["
                        + String.join(", ", using) + "]");
            }
            delete(namespace, name);
        }
    }

    /**
     * Removes every volume no container uses (Docker API 1.41: named and anonymous alike) that matches the
     * {@code label} / {@code label!} filters; answers their names and the bytes their files held.
     */
    public PruneReport prune(String namespace, Map<String, List<String>> filters) throws IOException {
        VolumeFilter filter = VolumeFilter.forPrune(filters);
        List<String> deleted = new ArrayList<>();
        long reclaimed = 0;
        synchronized (lock) {
            for (EngineRecord r : store(namespace).list()) {
                VolumeRecord v = VolumeRecord.parse(r.json());
                if (!filter.matches(v, () -> true) || !inUse(namespace, v.name()).isEmpty()) {
                    continue;
                }
                reclaimed += DirectorySize.of(volumeDir(namespace, v.name()));
                delete(namespace, v.name());
                deleted.add(v.name());
            }
        }
        return new PruneReport(deleted, reclaimed);
    }

    /**
     * Every volume with docker's {@code UsageData} (for {@code system df}): the bytes its files hold and the
     * number of containers using it.
     */
    public List<Volume> usage(String namespace) throws IOException {
        List<Volume> out = new ArrayList<>();
        for (EngineRecord r : store(namespace).list()) {
            VolumeRecord v = VolumeRecord.parse(r.json());
            Volume plain = toVolume(namespace, v);
            out.add(new Volume(plain.name(), plain.driver(), plain.mountpoint(), plain.createdAt(), plain.status(),
                    plain.labels(), plain.scope(), plain.options(), new Volume.UsageData(
                    DirectorySize.of(volumeDir(namespace, v.name())), inUse(namespace, v.name()).size())));
        }
        return out;
    }

    /**
     * Resolves a container's mounts: {@code --volumes-from}, binds, {@code --mount}s, tmpfs and the image's
     * {@code VOLUME}s (of the merged {@code config}) with docker's precedence; creates named volumes on first use
     * and anonymous ones, copies image content from {@code rootfs} into empty volumes (unless nocopy). The result
     * is ordered parents first, as the OCI spec needs. On failure the volumes this call created are removed.
     */
    public List<ContainerMount> resolve(String namespace, String containerId, ContainerConfig config,
                                        HostConfig host, Path rootfs, VolumesFromSource volumesFrom)
            throws IOException {
        return new MountResolver(this, namespace, containerId, rootfs).resolve(config, host, volumesFrom);
    }

    /**
     * After a container's removal: it no longer holds its volumes; with {@code removeAnonymous} ({@code rm -v})
     * its anonymous volumes that no other container uses are removed.
     */
    public void release(String namespace, String containerId, List<ContainerMount> mounts, boolean removeAnonymous)
            throws IOException {
        synchronized (lock) {
            reserved.values().forEach(ids -> ids.remove(containerId));
            reserved.values().removeIf(Set::isEmpty);
            if (!removeAnonymous) {
                return;
            }
            for (ContainerMount m : mounts) {
                if (!m.anonymous() || !m.type().equals(MountRequest.VOLUME)) {
                    continue;
                }
                List<String> using = new ArrayList<>(inUse(namespace, m.name()));
                using.remove(containerId);
                if (using.isEmpty() && store(namespace).get(m.name()).isPresent()) {
                    delete(namespace, m.name());
                } else if (!using.isEmpty()) {
                    LOG.info("anonymous volume kept: in use", "namespace", namespace, "volume", m.name(),
                            "containers", using);
                }
            }
        }
    }

    /** Brings records and directories into agreement after a restart (see the class comment). */
    public Recovery recover() throws IOException {
        List<String> adopted = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        Set<String> namespaces = new LinkedHashSet<>();
        db.namespaces().list().stream().map(NamespaceRecord::name).forEach(namespaces::add);
        if (Files.isDirectory(root)) {
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
                dirs.forEach(d -> namespaces.add(d.getFileName().toString()));
            }
        }
        synchronized (lock) {
            for (String ns : namespaces) {
                recover(ns, adopted, dropped);
            }
        }
        return new Recovery(adopted, dropped);
    }

    private void recover(String namespace, List<String> adopted, List<String> dropped) throws IOException {
        EngineStore store;
        try {
            store = store(namespace);
        } catch (BerthException e) {
            LOG.warn("volumes directory of an invalid namespace ignored", "dir", root.resolve(namespace));
            return;
        }
        Set<String> recorded = new HashSet<>();
        for (EngineRecord r : store.list()) {
            if (isDirectory(dataDir(namespace, r.key()))) {
                recorded.add(r.key());
                TreeDeleter.delete(volumeDir(namespace, r.key()).resolve(COPY_UP)); // a crash during copy-up
            } else {
                store.delete(r.key());
                dropped.add(namespace + "/" + r.key());
                LOG.warn("volume record without data directory dropped", "namespace", namespace, "volume",
                        r.key(), "dir", dataDir(namespace, r.key()));
            }
        }
        Path nsDir = root.resolve(namespace);
        if (!Files.isDirectory(nsDir)) {
            return;
        }
        List<Path> dirs = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(nsDir)) {
            entries.forEach(dirs::add);
        }
        for (Path dir : dirs) {
            String name = dir.getFileName().toString();
            if (recorded.contains(name)) {
                continue;
            }
            if (!VolumeName.isValid(name) || !isDirectory(dir.resolve(DATA))) {
                LOG.warn("not a volume: left alone", "namespace", namespace, "dir", dir);
                continue;
            }
            Instant created = FileStat.lstat(dir).mtime();
            VolumeRecord v = new VolumeRecord(name, LOCAL, null, null, timestamp(created), false);
            store.create(name, name, v.json());
            adopted.add(namespace + "/" + name);
            LOG.warn("volume directory without record adopted", "namespace", namespace, "volume", name);
        }
    }

    // ---- for MountResolver ----

    /** The volume {@code name}, created (and added to {@code created}) if it does not exist. */
    VolumeRecord obtain(String namespace, String name, Map<String, String> labels, boolean anonymous,
                        List<String> created) throws IOException {
        synchronized (lock) {
            Optional<EngineRecord> existing = store(namespace).get(name);
            if (existing.isPresent()) {
                return VolumeRecord.parse(existing.get().json());
            }
            VolumeRecord v = add(namespace, name, labels, anonymous);
            created.add(name);
            return v;
        }
    }

    String generateName() {
        return names.generate();
    }

    void reserve(String namespace, String name, String containerId) {
        synchronized (lock) {
            reserved.computeIfAbsent(namespace + "/" + name, k -> new HashSet<>()).add(containerId);
        }
    }

    /** Undoes a failed resolve: its reservations and the volumes it created. */
    void discard(String namespace, String containerId, List<String> created) {
        synchronized (lock) {
            reserved.values().forEach(ids -> ids.remove(containerId));
            reserved.values().removeIf(Set::isEmpty);
            for (String name : created) {
                try {
                    delete(namespace, name);
                } catch (IOException | RuntimeException e) {
                    LOG.warn("remove volume after a failed resolve", e, "namespace", namespace, "volume", name);
                }
            }
        }
    }

    Path dataDir(String namespace, String name) {
        return volumeDir(namespace, name).resolve(DATA);
    }

    /**
     * Populates the empty volume {@code name} from {@code image} (a directory of the container's rootfs), as
     * docker's copy-up: contents, modes, owners, times, symlinks, xattrs where the target supports them; the
     * volume's root takes the image directory's owner and mode. Copied beside and renamed in, so a failure
     * leaves the volume empty.
     */
    void copyUp(String namespace, String name, Path image) throws IOException {
        Path data = dataDir(namespace, name);
        synchronized (lock) {
            if (!isEmptyDirectory(data)) {
                return;
            }
            Path scratch = volumeDir(namespace, name).resolve(COPY_UP);
            TreeDeleter.delete(scratch);
            try {
                copier.copy(image, scratch);
                Files.delete(data);
                Files.move(scratch, data);
            } finally {
                TreeDeleter.delete(scratch);
            }
        }
    }

    // ---- internals ----

    private VolumeRecord add(String namespace, String name, Map<String, String> labels, boolean anonymous)
            throws IOException {
        Permissions.createDirectories(root, Permissions.PRIVATE_DIRECTORY);
        Path dir = volumeDir(namespace, name);
        Permissions.createDirectories(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path data = dataDir(namespace, name);
        try {
            Permissions.createDirectories(data, PosixFilePermissions.fromString("rwxr-xr-x"));
            VolumeRecord v = new VolumeRecord(name, LOCAL, labels, null, timestamp(clock.instant()), anonymous);
            store(namespace).create(name, name, v.json());
            LOG.debug("volume created", "namespace", namespace, "volume", name, "anonymous", anonymous);
            events.volume(namespace, "create", name);
            return v;
        } catch (IOException | RuntimeException e) {
            TreeDeleter.delete(dir);
            throw e;
        }
    }

    /** The record first, then the data: a crash in between leaves a directory that recover() adopts. */
    private void delete(String namespace, String name) throws IOException {
        store(namespace).delete(name);
        TreeDeleter.delete(volumeDir(namespace, name));
        LOG.debug("volume removed", "namespace", namespace, "volume", name);
        events.volume(namespace, "destroy", name);
    }

    private VolumeRecord get(String namespace, String name) throws IOException {
        return store(namespace).get(name).map(r -> VolumeRecord.parse(r.json()))
                .orElseThrow(() -> noSuchVolume(name));
    }

    private List<String> inUse(String namespace, String name) throws IOException {
        Set<String> ids = new LinkedHashSet<>(users.containersUsing(namespace, name));
        synchronized (lock) {
            ids.addAll(reserved.getOrDefault(namespace + "/" + name, Set.of()));
        }
        return List.copyOf(ids);
    }

    private Volume toVolume(String namespace, VolumeRecord v) {
        return new Volume(v.name(), v.driver(), dataDir(namespace, v.name()).toString(), v.createdAt(), null,
                v.labels(), LOCAL, v.options(), null);
    }

    private EngineStore store(String namespace) {
        return db.engineVolumes(namespace);
    }

    private Path volumeDir(String namespace, String name) {
        return root.resolve(namespace).resolve(name);
    }

    private static BerthException noSuchVolume(String name) {
        return BerthException.notFound("get " + name + ": no such volume");
    }

    private static String nameOr(String name) {
        return name == null || name.isEmpty() ? "volume" : name;
    }

    /** docker's {@code CreatedAt}: RFC 3339 in seconds. */
    private static String timestamp(Instant t) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t.truncatedTo(ChronoUnit.SECONDS).atOffset(
                ZoneOffset.UTC));
    }

    private static boolean isDirectory(Path p) throws IOException {
        try {
            return FileStat.lstat(p).type() == FileType.DIRECTORY;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    private static boolean isEmptyDirectory(Path p) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(p)) {
            return !entries.iterator().hasNext();
        }
    }
}
