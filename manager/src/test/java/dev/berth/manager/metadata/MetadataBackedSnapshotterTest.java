package dev.berth.manager.metadata;

import dev.berth.manager.content.LocalContentStore;
import dev.berth.manager.snapshot.Snapshotter;
import dev.berth.manager.snapshot.SnapshotterContract;
import dev.berth.manager.snapshot.overlay.OverlaySnapshotter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;

/**
 * The snapshotter contract against a namespace's {@link MetadataSnapshotter} over an {@link OverlaySnapshotter} at
 * the suite's root, as containerd runs its snapshotter test suite on its metadata layer
 * ({@code core/metadata/snapshot_test.go}). The database lives beside the root, so reopening the root reopens both.
 * The snapshots are made under a lease, as berthd's clients make them: without one, the garbage collection that
 * follows every removal would take every unreferenced snapshot with it. That collection runs in the background, so
 * the contract's checks of the disk wait for it.
 */
class MetadataBackedSnapshotterTest extends SnapshotterContract {

    private static final String NAMESPACE = "contract";
    private static final String LEASE = "contract-suite";

    private MetadataDb db;
    private OverlaySnapshotter backend;

    @Override
    protected Snapshotter open(Path root) throws IOException {
        closeDb();
        backend = OverlaySnapshotter.open(root);
        db = MetadataDb.open(temp.resolve("metadata.db"), LocalContentStore.open(temp.resolve("content")),
                Map.of("overlayfs", backend));
        if (db.leases(NAMESPACE).list().isEmpty()) {
            db.leases(NAMESPACE).create(LEASE, Map.of());
        }
        return db.snapshotter(NAMESPACE, "overlayfs", Optional.of(LEASE));
    }

    @Override
    protected void awaitRemovals() throws IOException {
        GcWait.await(db);
    }

    /** Closes what {@link #open} opened: the metadata snapshotter's own close leaves its backend to its owner. */
    @AfterEach
    void closeDb() throws IOException {
        if (db != null) {
            db.close();
            backend.close();
            db = null;
        }
    }
}
