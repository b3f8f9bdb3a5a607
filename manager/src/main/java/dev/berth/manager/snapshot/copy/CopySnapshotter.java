package dev.berth.manager.snapshot.copy;

import dev.berth.manager.fs.TreeCopier;
import dev.berth.manager.snapshot.Mount;
import dev.berth.manager.snapshot.SnapshotKind;
import dev.berth.manager.snapshot.storage.DirectorySnapshotter;
import dev.berth.manager.snapshot.storage.SnapshotDirectories;
import dev.berth.manager.snapshot.storage.SnapshotRecord;
import dev.berth.sys.FileSyscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * Snapshots as full copies (containerd's "native" snapshotter, the fallback where overlayfs is unavailable): a new
 * active or view snapshot gets its own copy of its parent's tree in {@code snapshots/<id>/fs}, so every mount is a
 * plain bind (read-only for views) and commit only changes the record. Costs a full copy per snapshot.
 */
public final class CopySnapshotter extends DirectorySnapshotter {
    private final TreeCopier copier;

    private CopySnapshotter(Path root, Clock clock, TreeCopier copier) throws IOException {
        super(root, clock);
        this.copier = copier;
    }

    /** Opens (creating it if needed) the snapshotter whose state lives under {@code root}. */
    public static CopySnapshotter open(Path root, FileSyscalls sys) throws IOException {
        return new CopySnapshotter(root, Clock.systemUTC(), new TreeCopier(sys));
    }

    @Override
    protected void createLayer(SnapshotDirectories dirs, long id, SnapshotKind kind, List<SnapshotRecord> parents)
            throws IOException {
        Files.createDirectory(dirs.dir(id));
        if (parents.isEmpty()) {
            Files.createDirectory(dirs.fs(id));
        } else {
            copier.copy(dirs.fs(parents.getFirst().id()), dirs.fs(id));
        }
    }

    /** A snapshot is a copy of its parent, made when it is prepared: it cannot be put on another one later. */
    @Override
    public boolean canRebase() {
        return false;
    }

    @Override
    protected List<Mount> mounts(SnapshotDirectories dirs, SnapshotRecord snapshot, List<SnapshotRecord> parents) {
        String mode = snapshot.kind() == SnapshotKind.VIEW ? "ro" : "rw";
        return List.of(new Mount("bind", dirs.fs(snapshot.id()).toString(), List.of(mode, "rbind")));
    }
}
