package dev.berth.manager.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.manager.content.Descriptor;
import dev.berth.manager.content.Digest;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Garbage collection after deletes runs in the background ({@link GcScheduler}), as containerd's scheduler: the
 * delete's own record goes at once, what it left unreferenced a moment later, at once with {@code sync}.
 */
class GcSchedulerTest extends MetadataFixture {

    private static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    /** Long enough that no background collection starts during a test unless it waits for one. */
    private static final Duration NEVER = Duration.ofHours(1);

    private Duration delay = NEVER;

    @Override
    MetadataDb open() throws IOException {
        return MetadataDb.open(dir.resolve("metadata.db"), content, Map.of(SNAPSHOTTER, snapshots), clock,
                Migrations.bundled(), delay);
    }

    private void reopen(Duration gcDelay) throws IOException {
        db.close();
        delay = gcDelay;
        db = open();
    }

    private Digest image(String namespace, String name) throws IOException {
        Digest layer = commit(namespace, "layer of " + name, Map.of());
        Digest manifest = commit(namespace, "manifest of " + name, Map.of(GcLabels.REF_CONTENT + ".l.0",
                layer.toString()));
        db.images(namespace).create(ImageRecord.of(name, new Descriptor(MANIFEST, manifest, 8, Map.of()), Map.of()));
        return layer;
    }

    private void container(String id, String rootfs) throws IOException {
        db.snapshotter("ns", SNAPSHOTTER, Optional.empty()).prepare(rootfs, "", Map.of());
        db.containers("ns").create(ContainerRecord.builder(id).runtime(new ContainerRecord.Runtime("rt",
                AnyValue.EMPTY)).spec(new AnyValue("spec", new byte[] {1})).snapshotter(SNAPSHOTTER)
                .snapshotKey(rootfs).build());
    }

    @Test
    void delete_removesItsRecordAtOnce_andLeavesTheCollectionToTheBackground() throws Exception {
        Digest layer = image("ns", "img");
        db.images("ns").delete("img");
        assertTrue(db.images("ns").list().isEmpty(), "the image record goes with the delete");
        assertTrue(content.has(layer), "its blobs wait for the collection");
        assertFalse(db.awaitGarbageCollected(Duration.ofMillis(50)));

        db.garbageCollect();
        assertFalse(content.has(layer));
        assertTrue(db.contentStore("ns", Optional.empty()).list().isEmpty());
        assertTrue(db.awaitGarbageCollected(Duration.ZERO), "an explicit collection covers the earlier deletes");
    }

    @Test
    void collectGarbage_afterDelete_isTheSyncPath() throws Exception {
        Digest layer = image("ns", "img");
        db.images("ns").delete("img");
        db.images("ns").collectGarbage();
        assertFalse(content.has(layer), "sync: gone when the call returns");

        db.leases("ns").create("pull", Map.of());
        Digest leased = commit("ns", Optional.of("pull"), "leased", Map.of());
        db.leases("ns").delete("pull");
        assertTrue(content.has(leased));
        db.leases("ns").collectGarbage();
        assertFalse(content.has(leased));
    }

    @Test
    void backgroundCollection_followsTheDelete() throws Exception {
        reopen(Duration.ofMillis(20));
        Digest layer = image("ns", "img");
        container("web", "rootfs");
        db.images("ns").delete("img");
        db.containers("ns").delete("web");
        GcWait.await(db);
        assertFalse(content.has(layer));
        assertTrue(snapshots.keys().isEmpty());
        assertEquals(1, snapshots.removed().size());
        assertTrue(snapshots.removed().getFirst().endsWith("/rootfs"), snapshots.removed().toString());
    }

    @Test
    void deletesWithinTheDelay_shareOneCollection() throws Exception {
        reopen(Duration.ofSeconds(2));
        container("a", "rootfs-a");
        container("b", "rootfs-b");
        db.containers("ns").delete("a");
        db.containers("ns").delete("b");
        GcWait.await(db);
        assertEquals(Set.of("rootfs-a", "rootfs-b"), Set.copyOf(snapshots.removed().stream()
                .map(k -> k.substring(k.lastIndexOf('/') + 1)).toList()));
        assertEquals(1, snapshots.cleanups(), "one collection removed both rootfs snapshots");
    }

    @Test
    void close_collectsWhatIsStillMarked() throws Exception {
        Digest layer = image("ns", "img");
        db.images("ns").delete("img");
        db.close();
        assertFalse(content.has(layer));
        db = open();
    }

    @Test
    void backendSnapshotRemoval_doesNotHoldTheDatabase() throws Exception {
        container("web", "rootfs");
        CountDownLatch inRemove = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        snapshots.beforeRemove(() -> {
            inRemove.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        db.containers("ns").delete("web");
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<GcReport> collection = pool.submit(() -> db.garbageCollect());
            assertTrue(inRemove.await(10, TimeUnit.SECONDS));
            Future<?> create = pool.submit(() -> db.leases("ns").create("meanwhile", Map.of()));
            try {
                create.get(5, TimeUnit.SECONDS);
            } finally {
                release.countDown();
            }
            assertEquals(1, collection.get(10, TimeUnit.SECONDS).snapshots().size());
        }
        assertEquals(List.of("meanwhile"), db.leases("ns").list().stream().map(LeaseRecord::id).toList());
    }
}
