package dev.berth.manager.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.errdefs.ErrorKind;
import dev.berth.manager.content.Descriptor;
import dev.berth.manager.content.Digest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MetadataGcTest extends MetadataFixture {

    private static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";

    private MetadataSnapshotter snapshotter(String namespace) {
        return db.snapshotter(namespace, SNAPSHOTTER, Optional.empty());
    }

    /** config and two layers, a manifest referring to them by gc.ref labels, an image pointing at the manifest. */
    private Digest pullImage(String namespace) throws Exception {
        Digest config = commit(namespace, "config", Map.of());
        Digest layer0 = commit(namespace, "layer0", Map.of());
        Digest layer1 = commit(namespace, "layer1", Map.of());
        Digest manifest = commit(namespace, "manifest", Map.of(
                GcLabels.REF_CONTENT + ".config", config.toString(),
                GcLabels.REF_CONTENT + ".l.0", layer0.toString(),
                GcLabels.REF_CONTENT + ".l.1", layer1.toString()));
        db.images(namespace).create(ImageRecord.of("img", new Descriptor(MANIFEST, manifest, 8, Map.of()), Map.of()));
        return manifest;
    }

    @Test
    void image_keepsManifestConfigAndLayers_unreferencedBlobRemoved() throws Exception {
        pullImage("ns");
        Digest stray = commit("ns", "stray", Map.of());
        Digest orphan = content.put("crash leftover".getBytes(StandardCharsets.UTF_8));

        GcReport report = db.garbageCollect();

        assertEquals(1, report.contentRecords());
        assertEquals(Set.of(stray, orphan), Set.copyOf(report.blobs()));
        assertFalse(content.has(stray));
        assertFalse(content.has(orphan), "a backend blob without any record is removed");
        for (String kept : List.of("config", "layer0", "layer1", "manifest")) {
            assertTrue(content.has(digestOf(kept)), kept);
            assertEquals(digestOf(kept), db.contentStore("ns", Optional.empty()).info(digestOf(kept)).digest());
        }
    }

    @Test
    void imageDelete_collectsTheWholeTree() throws Exception {
        pullImage("ns");
        db.images("ns").delete("img");
        GcWait.await(db);
        assertTrue(db.contentStore("ns", Optional.empty()).list().isEmpty());
        for (String gone : List.of("config", "layer0", "layer1", "manifest")) {
            assertFalse(content.has(digestOf(gone)), gone);
        }
    }

    @Test
    void leasedBlob_keptUntilTheLeaseIsDeleted() throws Exception {
        db.leases("ns").create("pull", Map.of());
        Digest d = commit("ns", Optional.of("pull"), "leased", Map.of());
        assertTrue(db.garbageCollect().blobs().isEmpty());
        assertTrue(content.has(d));

        db.leases("ns").delete("pull");
        GcWait.await(db);
        assertFalse(content.has(d));
        assertKind(ErrorKind.NOT_FOUND, () -> db.contentStore("ns", Optional.empty()).info(d));
    }

    @Test
    void expiredLease_removedWithWhatOnlyItKept() throws Exception {
        db.leases("ns").create("tmp", Map.of(GcLabels.EXPIRE, "2025-01-01T01:00:00+00:00"));
        Digest d = commit("ns", Optional.of("tmp"), "leased", Map.of());
        assertEquals(0, db.garbageCollect().expiredLeases());

        clock.advance(Duration.ofHours(2));
        GcReport report = db.garbageCollect();
        assertEquals(1, report.expiredLeases());
        assertEquals(List.of(d), report.blobs());
        assertTrue(db.leases("ns").list().isEmpty());
    }

    @Test
    void gcRootLabel_keepsBlobAndSnapshot() throws Exception {
        Digest d = commit("ns", "rooted", Map.of(GcLabels.ROOT, "2025-01-01"));
        snapshotter("ns").prepare("k", "", Map.of(GcLabels.ROOT, "1"));
        db.garbageCollect();
        assertTrue(content.has(d));
        assertEquals(Set.of("ns/2/k"), snapshots.keys());
    }

    @Test
    void snapshotChain_keptByContainer_removedChildrenFirstOnceContainerDeleted() throws Exception {
        MetadataSnapshotter s = snapshotter("ns");
        s.prepare("extract-0", "", Map.of());
        s.commit("layer0", "extract-0", Map.of());
        s.prepare("extract-1", "layer0", Map.of());
        s.commit("layer1", "extract-1", Map.of());
        s.prepare("rootfs", "layer1", Map.of());
        snapshotter("ns").prepare("unreferenced", "", Map.of());
        db.containers("ns").create(ContainerRecord.builder("c").runtime(new ContainerRecord.Runtime("rt",
                AnyValue.EMPTY)).spec(new AnyValue("spec", new byte[] {1})).snapshotter(SNAPSHOTTER)
                .snapshotKey("rootfs").build());

        GcReport first = db.garbageCollect();
        assertEquals(1, first.snapshotRecords());
        assertEquals(List.of(SNAPSHOTTER + "/ns/6/unreferenced"), first.snapshots());
        assertEquals(List.of("layer0", "layer1", "rootfs"), s.list().stream().map(i -> i.name()).toList());

        db.containers("ns").delete("c");
        GcWait.await(db);
        assertTrue(s.list().isEmpty());
        assertTrue(snapshots.keys().isEmpty());
        assertEquals(List.of("ns/6/unreferenced", "ns/5/rootfs", "ns/4/layer1", "ns/2/layer0"),
                snapshots.removed(), "children before parents");
        assertTrue(snapshots.cleanups() > 0);
    }

    @Test
    void labelEdges_betweenContentAndSnapshots() throws Exception {
        Digest config = commit("ns", "config", Map.of());
        MetadataSnapshotter s = snapshotter("ns");
        s.prepare("x", "", Map.of());
        s.commit("unpacked", "x", Map.of(GcLabels.REF_CONTENT, config.toString()));
        commit("ns", "manifest", Map.of(GcLabels.REF_SNAPSHOT_PREFIX + SNAPSHOTTER, "unpacked",
                GcLabels.ROOT, "1"));

        db.garbageCollect();
        assertTrue(content.has(config), "manifest → snapshot → config");
        assertEquals(List.of("unpacked"), s.list().stream().map(i -> i.name()).toList());
    }

    @Test
    void containerLabels_referenceContent() throws Exception {
        Digest checkpoint = commit("ns", "checkpoint", Map.of());
        db.containers("ns").create(ContainerRecord.builder("c").runtime(new ContainerRecord.Runtime("rt",
                AnyValue.EMPTY)).spec(new AnyValue("spec", new byte[] {1}))
                .labels(Map.of(GcLabels.REF_CONTENT + ".checkpoint", checkpoint.toString())).build());
        db.garbageCollect();
        assertTrue(content.has(checkpoint));
    }

    @Test
    void sharedBlob_removedFromOneNamespace_keptForTheOther() throws Exception {
        Digest a = commit("a", "shared", Map.of(GcLabels.ROOT, "1"));
        Digest b = commit("b", "shared", Map.of(GcLabels.ROOT, "1"));
        assertEquals(a, b);

        db.contentStore("a", Optional.empty()).delete(a);
        GcWait.await(db);
        assertTrue(content.has(a));
        assertEquals(a, db.contentStore("b", Optional.empty()).info(a).digest());

        db.contentStore("b", Optional.empty()).delete(a);
        GcWait.await(db);
        assertFalse(content.has(a));
    }

    @Test
    void referencesDoNotCrossNamespaces() throws Exception {
        Digest layer = commit("a", "layer", Map.of());
        commit("b", "layer", Map.of());
        db.images("b").create(ImageRecord.of("img", new Descriptor(MANIFEST, layer, 5, Map.of()), Map.of()));
        db.garbageCollect();
        assertKind(ErrorKind.NOT_FOUND, () -> db.contentStore("a", Optional.empty()).info(layer));
        assertTrue(content.has(layer), "still referenced in b");
    }

    @Test
    void openSharedIngest_keepsItsExpectedBlob() throws Exception {
        Digest d = commit("a", "x", Map.of());
        try (var w = db.contentStore("b", Optional.empty()).writer("ref", 0, d)) {
            GcReport report = db.garbageCollect();
            assertEquals(1, report.contentRecords(), "a's unreferenced record goes");
            assertTrue(content.has(d), "b's open ingest still expects the blob");
            w.commit(0, d, Map.of(GcLabels.ROOT, "1"));
        }
        db.garbageCollect();
        assertTrue(content.has(d));
    }
}
