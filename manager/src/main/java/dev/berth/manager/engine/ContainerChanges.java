package dev.berth.manager.engine;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.manager.diff.Mounter;
import dev.berth.manager.fs.FileStat;
import dev.berth.manager.fs.FileType;
import dev.berth.manager.image.TemporaryLease;
import dev.berth.manager.metadata.MetadataDb;
import dev.berth.manager.snapshot.Mount;
import dev.berth.manager.snapshot.Snapshotter;
import dev.berth.sys.FileSyscalls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * docker's {@code diff}: the changes of a container's rootfs snapshot against its image, as docker 20.10 computes
 * them ({@code pkg/archive/changes.go}). On overlay the upperdir alone is walked ({@code OverlayChanges}): a
 * whiteout (char device 0:0) or an opaque directory is a deletion, a path that exists in a lower directory a
 * modification (a directory only if its size, mode or time differ), anything else an addition, and the parent of
 * an addition or deletion is a modification. Elsewhere (the native snapshotter) the two trees are compared
 * ({@code ChangesDirs}). Works on created, running and stopped containers.
 *
 * <p>docker keeps the files it makes for every container ({@code /etc/hostname}, {@code /etc/hosts},
 * {@code /etc/resolv.conf}, mount points) in an init layer below the container's, so its diff never shows them;
 * berthd's runtime creates such mount points in the container's own snapshot, so they are left out here, with a
 * directory whose only change they were.
 */
public final class ContainerChanges {
    /** What the runtime may create in a rootfs for the container's mounts: docker's init layer's paths. */
    static final Set<String> INIT_PATHS = Set.of("/.dockerenv", "/etc/resolv.conf", "/etc/hosts", "/etc/hostname",
            "/etc/mtab", "/dev", "/dev/pts", "/dev/shm", "/dev/console", "/proc", "/sys", "/sbin/docker-init");
    private static final String OPAQUE = "trusted.overlay.opaque";

    /** docker's change kinds. */
    public static final int MODIFIED = 0;
    public static final int ADDED = 1;
    public static final int DELETED = 2;

    /** One change, docker's {@code {"Path", "Kind"}}. */
    public record Change(@JsonProperty("Path") String path, @JsonProperty("Kind") int kind) {
    }

    private final Engine engine;
    private final MetadataDb db;
    private final FileSyscalls sys;
    private final Mounter mounter;
    private final Path scratch;
    private final Clock clock;

    /** @param scratch where a parent snapshot is mounted when it is no plain directory */
    public ContainerChanges(Engine engine, MetadataDb db, FileSyscalls sys, Mounter mounter, Path scratch,
                            Clock clock) {
        this.engine = engine;
        this.db = db;
        this.sys = sys;
        this.mounter = mounter;
        this.scratch = scratch;
        this.clock = clock;
    }

    public List<Change> changes(String namespace, String ref) throws IOException {
        EngineContainer c = engine.lookup(namespace, ref);
        Snapshotter snapshots = db.snapshotter(namespace, c.snapshotter(), Optional.empty());
        List<Mount> upper = snapshots.mounts(c.id());
        Optional<String> upperdir = option(upper, "upperdir=");
        List<Change> changes;
        if (upper.size() == 1 && upper.getFirst().type().equals("overlay") && upperdir.isPresent()) {
            List<Path> layers = option(upper, "lowerdir=").map(l -> List.of(l.split(":"))).orElse(List.of())
                    .stream().map(Path::of).toList();
            changes = overlay(layers, Path.of(upperdir.get()));
        } else {
            changes = compareWithParent(namespace, c.snapshotter(), snapshots, c.id(), upper);
        }
        return withoutInitPaths(changes);
    }

    /** docker's {@code changes(layers, rw, overlayDeletedFile, nil)}: a walk of the upperdir in name order. */
    List<Change> overlay(List<Path> layers, Path rw) throws IOException {
        List<Change> changes = new ArrayList<>();
        Set<String> changedDirs = new HashSet<>();
        walkUpper(layers, rw, rw, changes, changedDirs);
        return changes;
    }

    private void walkUpper(List<Path> layers, Path rw, Path dir, List<Change> changes, Set<String> changedDirs)
            throws IOException {
        for (Path child : sorted(dir)) {
            String path = "/" + rw.relativize(child);
            FileStat st = FileStat.lstat(child);
            int kind;
            if (st.isOverlayWhiteout() || st.type() == FileType.DIRECTORY && isOpaque(child)) {
                kind = DELETED;
            } else {
                kind = ADDED;
                for (Path layer : layers) {
                    Path lower = layer.resolve(path.substring(1));
                    if (!Files.exists(lower, LinkOption.NOFOLLOW_LINKS)) {
                        continue;
                    }
                    FileStat ls = FileStat.lstat(lower);
                    if (ls.type() == FileType.DIRECTORY && st.type() == FileType.DIRECTORY && ls.size() == st.size()
                            && ls.mode() == st.mode() && ls.mtime().equals(st.mtime())) {
                        kind = -1; // a directory overlay copied up only because something below it changed
                    } else {
                        kind = MODIFIED;
                    }
                    break;
                }
            }
            if (kind >= 0) {
                if (st.type() == FileType.DIRECTORY) {
                    changedDirs.add(path);
                }
                if (kind == ADDED || kind == DELETED) {
                    String parent = parent(path);
                    if (!parent.equals("/") && changedDirs.add(parent)) {
                        changes.add(new Change(parent, MODIFIED));
                    }
                }
                changes.add(new Change(path, kind));
            }
            if (st.type() == FileType.DIRECTORY && !st.isOverlayWhiteout()) {
                walkUpper(layers, rw, child, changes, changedDirs);
            }
        }
    }

    private boolean isOpaque(Path dir) {
        return sys.lgetxattr(dir.toString(), OPAQUE).map(v -> new String(v, StandardCharsets.US_ASCII).equals("y"))
                .orElse(false);
    }

    /** The container's tree against a view of its parent snapshot, under a lease of its own while it exists. */
    private List<Change> compareWithParent(String namespace, String snapshotter, Snapshotter snapshots, String id,
                                           List<Mount> upper) throws IOException {
        String parent = snapshots.stat(id).parent();
        try (TemporaryLease lease = TemporaryLease.create(db.leases(namespace), "engine-changes", clock);
             Tree newer = Tree.of(upper, mounter, scratch)) {
            Snapshotter leased = db.snapshotter(namespace, snapshotter, lease.ref());
            if (parent == null || parent.isEmpty()) {
                return compare(null, newer.dir);
            }
            String view = "changes-view-" + UUID.randomUUID();
            List<Mount> lower = leased.view(view, parent, Map.of());
            try (Tree older = Tree.of(lower, mounter, scratch)) {
                return compare(older.dir, newer.dir);
            } finally {
                leased.remove(view);
            }
        }
    }

    /** docker's {@code ChangesDirs(newDir, oldDir)}: {@code older} null for a snapshot without a parent. */
    List<Change> compare(Path older, Path newer) throws IOException {
        List<Change> changes = new ArrayList<>();
        addChanges(older, newer, "/", changes, false);
        return changes;
    }

    private void addChanges(Path older, Path newer, String path, List<Change> changes, boolean added)
            throws IOException {
        int sizeAtEntry = changes.size();
        boolean isDir = Files.isDirectory(newer, LinkOption.NOFOLLOW_LINKS);
        TreeMap<String, Path> oldChildren = new TreeMap<>();
        if (older != null && isDir && Files.isDirectory(older, LinkOption.NOFOLLOW_LINKS)) {
            for (Path p : sorted(older)) {
                oldChildren.put(p.getFileName().toString(), p);
            }
        }
        if (isDir) {
            for (Path child : sorted(newer)) {
                String name = child.getFileName().toString();
                String childPath = path.equals("/") ? "/" + name : path + "/" + name;
                Path oldChild = oldChildren.remove(name);
                boolean childAdded = false;
                if (oldChild == null) {
                    changes.add(new Change(childPath, ADDED));
                    childAdded = true;
                } else if (statDifferent(FileStat.lstat(oldChild), FileStat.lstat(child))) {
                    changes.add(new Change(childPath, MODIFIED));
                    childAdded = true;
                }
                addChanges(oldChild, child, childPath, changes, childAdded);
            }
        }
        for (String name : oldChildren.keySet()) {
            changes.add(new Change(path.equals("/") ? "/" + name : path + "/" + name, DELETED));
        }
        if (changes.size() > sizeAtEntry && isDir && !added && !path.equals("/")) {
            changes.add(sizeAtEntry, new Change(path, MODIFIED));
        }
    }

    private static boolean statDifferent(FileStat a, FileStat b) {
        return a.mode() != b.mode() || a.type() != b.type() || a.uid() != b.uid() || a.gid() != b.gid()
                || a.rdev() != b.rdev() || (a.type() != FileType.DIRECTORY && a.size() != b.size())
                || !a.mtime().equals(b.mtime());
    }

    /** The changes without the init layer's paths, and without a directory modified only by them. */
    static List<Change> withoutInitPaths(List<Change> changes) {
        List<Change> kept = new ArrayList<>();
        Set<String> touchedByInit = new HashSet<>();
        for (Change c : changes) {
            if (isInitPath(c.path())) {
                touchedByInit.add(parent(c.path()));
            } else {
                kept.add(c);
            }
        }
        return kept.stream().filter(c -> c.kind() != MODIFIED || !touchedByInit.contains(c.path())
                || kept.stream().anyMatch(o -> o.path().startsWith(c.path() + "/"))).toList();
    }

    private static boolean isInitPath(String path) {
        for (String p : INIT_PATHS) {
            if (path.equals(p) || (!p.equals("/dev") && path.startsWith(p + "/"))) {
                return true;
            }
        }
        return false;
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    private static List<Path> sorted(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(out::add);
        } catch (NoSuchFileException e) {
            return out;
        }
        out.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        return out;
    }

    private static Optional<String> option(List<Mount> mounts, String prefix) {
        return mounts.size() != 1 ? Optional.empty() : mounts.getFirst().options().stream()
                .filter(o -> o.startsWith(prefix)).map(o -> o.substring(prefix.length())).findFirst();
    }

    /** A snapshot's tree as a directory: a bind's source as it is, otherwise mounted for the comparison. */
    private static final class Tree implements AutoCloseable {
        final Path dir;
        private final Mounter mounter;
        private final boolean mounted;

        private Tree(Path dir, Mounter mounter, boolean mounted) {
            this.dir = dir;
            this.mounter = mounter;
            this.mounted = mounted;
        }

        static Tree of(List<Mount> mounts, Mounter mounter, Path scratch) throws IOException {
            if (mounts.size() == 1 && mounts.getFirst().type().equals("bind")) {
                return new Tree(Path.of(mounts.getFirst().source()), mounter, false);
            }
            Path dir = Files.createTempDirectory(Files.createDirectories(scratch), "changes-");
            try {
                mounter.mount(mounts, dir);
            } catch (IOException | RuntimeException e) {
                Files.delete(dir);
                throw e;
            }
            return new Tree(dir, mounter, true);
        }

        @Override
        public void close() throws IOException {
            if (mounted) {
                try {
                    mounter.unmount(dir);
                } finally {
                    Files.delete(dir);
                }
            }
        }
    }
}
