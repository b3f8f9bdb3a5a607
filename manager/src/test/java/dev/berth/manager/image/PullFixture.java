package dev.berth.manager.image;

import dev.berth.manager.content.LocalContentStore;
import dev.berth.manager.diff.LayerApplier;
import dev.berth.manager.diff.SyscallMounter;
import dev.berth.manager.metadata.GcLabels;
import dev.berth.manager.metadata.MetadataDb;
import dev.berth.manager.metadata.MetadataSnapshotter;
import dev.berth.manager.snapshot.Mount;
import dev.berth.manager.snapshot.overlay.OverlaySnapshotter;
import dev.berth.sys.LinuxSyscalls;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A real metadata database over the local content store and the overlay snapshotter in a temp dir, a real layer
 * applier, a download pool, and a way to look into a committed snapshot.
 */
final class PullFixture implements AutoCloseable {

    static final String NS = "default";

    final Path dir;
    final LinuxSyscalls sys = LinuxSyscalls.loadBuilt();
    final SyscallMounter mounter = new SyscallMounter(sys);
    final OverlaySnapshotter overlay;
    final MetadataDb db;
    final LayerApplier applier;
    final ExecutorService pool = Executors.newFixedThreadPool(4);
    private int views;

    PullFixture(Path dir) throws IOException {
        this.dir = dir;
        LocalContentStore content = LocalContentStore.open(dir.resolve("content"));
        overlay = OverlaySnapshotter.open(dir.resolve("overlayfs"));
        db = MetadataDb.open(dir.resolve("metadata.db"), content, Map.of("overlayfs", overlay));
        applier = new LayerApplier(sys, mounter, dir.resolve("scratch"));
    }

    MetadataSnapshotter snapshots() {
        return db.snapshotter(NS, "overlayfs", Optional.empty());
    }

    /** Mounts a read-only view of committed snapshot {@code name}, runs {@code look} on it, and takes it down. */
    /** Waits until the background collection after the deletes made so far has run (deletes do not collect). */
    void awaitGc() throws InterruptedIOException {
        try {
            if (!db.awaitGarbageCollected(Duration.ofSeconds(10))) {
                throw new AssertionError("no garbage collection within 10 s after a delete");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("waiting for garbage collection");
        }
    }

    <T> T inView(String name, Function<Path, T> look) throws IOException {
        String key = "test-view-" + views++;
        MetadataSnapshotter sn = snapshots();
        List<Mount> mounts = sn.view(key, name, Map.of(GcLabels.ROOT, "test")); // no lease: the GC must keep it
        Path target = Files.createDirectories(dir.resolve(key));
        try {
            mounter.mount(mounts, target);
            try {
                return look.apply(target);
            } finally {
                mounter.unmount(target);
            }
        } finally {
            sn.remove(key);
        }
    }

    @Override
    public void close() throws IOException {
        pool.shutdownNow();
        db.close();
        overlay.close();
    }
}
