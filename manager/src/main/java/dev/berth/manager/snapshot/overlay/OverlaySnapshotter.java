package dev.berth.manager.snapshot.overlay;

import dev.berth.manager.snapshot.Mount;
import dev.berth.manager.snapshot.SnapshotKind;
import dev.berth.manager.snapshot.storage.DirectorySnapshotter;
import dev.berth.manager.snapshot.storage.SnapshotDirectories;
import dev.berth.manager.snapshot.storage.SnapshotRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Snapshots as overlayfs layers, laid out as containerd's overlay snapshotter: each snapshot owns
 * {@code snapshots/<id>/fs} (its upperdir while active, a lowerdir once committed) and, while active,
 * {@code snapshots/<id>/work}. Commit keeps {@code fs} in place as a layer. The root must be on a filesystem that
 * can hold an overlay upperdir (ext4, xfs, tmpfs; not overlayfs itself).
 *
 * <p>Mounts: an active snapshot without parents is a read-write bind of its {@code fs}; with parents, an
 * {@code overlay} with {@code workdir}, {@code upperdir} and {@code lowerdir=nearest:…:farthest}. A view of one
 * parent is a read-only bind of that parent's {@code fs}; of more, an overlay with {@code lowerdir} only.
 *
 * <p>A committed {@code fs} holds its layer's changes alone (overlay whiteouts and opaque directories included) and
 * its parents are named only when it is mounted, so a snapshot prepared without a parent can be committed onto one
 * ({@link #canRebase()}): layers of one image can be applied at the same time and chained in order.
 */
public final class OverlaySnapshotter extends DirectorySnapshotter {

    private OverlaySnapshotter(Path root, Clock clock) throws IOException {
        super(root, clock);
    }

    /** Opens (creating it if needed) the snapshotter whose state lives under {@code root}. */
    public static OverlaySnapshotter open(Path root) throws IOException {
        return new OverlaySnapshotter(root, Clock.systemUTC());
    }

    @Override
    protected void createLayer(SnapshotDirectories dirs, long id, SnapshotKind kind, List<SnapshotRecord> parents)
            throws IOException {
        Files.createDirectory(dirs.dir(id));
        Files.createDirectory(dirs.fs(id));
        if (kind == SnapshotKind.ACTIVE) {
            Files.createDirectory(dirs.work(id));
        }
    }

    @Override
    public boolean canRebase() {
        return true;
    }

    @Override
    protected List<Mount> mounts(SnapshotDirectories dirs, SnapshotRecord snapshot, List<SnapshotRecord> parents) {
        boolean view = snapshot.kind() == SnapshotKind.VIEW;
        if (parents.isEmpty()) {
            return List.of(new Mount("bind", dirs.fs(snapshot.id()).toString(), List.of(view ? "ro" : "rw",
                    "rbind")));
        }
        if (view && parents.size() == 1) {
            return List.of(new Mount("bind", dirs.fs(parents.getFirst().id()).toString(), List.of("ro", "rbind")));
        }
        String lowerdir = "lowerdir=" + parents.stream().map(p -> dirs.fs(p.id()).toString())
                .collect(Collectors.joining(":"));
        if (view) {
            return List.of(new Mount("overlay", "overlay", List.of(lowerdir)));
        }
        return List.of(new Mount("overlay", "overlay", List.of("workdir=" + dirs.work(snapshot.id()),
                "upperdir=" + dirs.fs(snapshot.id()), lowerdir)));
    }
}
