package dev.berth.manager.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.errdefs.ErrorKind;
import dev.berth.manager.snapshot.Mount;
import dev.berth.manager.snapshot.SnapshotInfo;
import dev.berth.manager.snapshot.SnapshotKind;
import dev.berth.manager.snapshot.Usage;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MetadataSnapshotterTest extends MetadataFixture {

    private MetadataSnapshotter ns(String namespace) {
        return db.snapshotter(namespace, SNAPSHOTTER, Optional.empty());
    }

    @Test
    void prepareCommitView_mapKeysAndParentsOntoTheBackend() throws Exception {
        List<Mount> mounts = ns("a").prepare("extract-1", "", Map.of("l", "v"));
        assertEquals(List.of(new Mount("bind", "/fake/a/1/extract-1", List.of("rw"))), mounts);
        ns("a").commit("layer-1", "extract-1", Map.of(GcLabels.ROOT, "1"));
        ns("a").view("ro", "layer-1", Map.of());

        assertEquals(Set.of("a/2/layer-1", "a/3/ro"), snapshots.keys());
        assertEquals("a/2/layer-1", snapshots.stat("a/3/ro").parent(), "parent translated to its backend key");

        SnapshotInfo committed = ns("a").stat("layer-1");
        assertEquals(new SnapshotInfo("layer-1", "", SnapshotKind.COMMITTED, Map.of(GcLabels.ROOT, "1"),
                clock.instant(), clock.instant()), committed);
        SnapshotInfo view = ns("a").stat("ro");
        assertEquals("layer-1", view.parent(), "parent translated back to the namespace's name");
        assertEquals(SnapshotKind.VIEW, view.kind());
        assertKind(ErrorKind.NOT_FOUND, () -> ns("a").stat("extract-1"));
        assertEquals(List.of(new Mount("bind", "/fake/a/3/ro", List.of("ro"))), ns("a").mounts("ro"));
        assertEquals(new Usage(42, 3), ns("a").usage("ro"));
    }

    @Test
    void commit_ontoAParent_recordsItAndTranslatesItForTheBackend() throws Exception {
        ns("a").prepare("extract-1", "", Map.of());
        ns("a").commit("layer-1", "extract-1", Map.of());
        ns("a").prepare("extract-2", "", Map.of());
        assertKind(ErrorKind.NOT_FOUND, () -> ns("a").commit("layer-2", "extract-2", "missing", Map.of()));
        ns("a").commit("layer-2", "extract-2", "layer-1", Map.of());

        assertEquals("layer-1", ns("a").stat("layer-2").parent());
        assertEquals("a/2/layer-1", snapshots.stat("a/4/layer-2").parent(), "the backend's parent is its own key");
        assertKind(ErrorKind.FAILED_PRECONDITION, () -> ns("a").remove("layer-1"));
        ns("a").prepare("extract-3", "layer-1", Map.of());
        assertKind(ErrorKind.FAILED_PRECONDITION, () -> ns("a").commit("layer-3", "extract-3", "layer-2",
                Map.of()));
    }

    @Test
    void namespaces_seeOnlyTheirOwnSnapshots_andMayReuseKeys() throws Exception {
        ns("a").prepare("k", "", Map.of());
        ns("b").prepare("k", "", Map.of());
        assertEquals(List.of("k"), ns("a").list().stream().map(SnapshotInfo::name).toList());
        assertEquals(Set.of("a/1/k", "b/2/k"), snapshots.keys());
        assertKind(ErrorKind.NOT_FOUND, () -> ns("c").stat("k"));
        assertTrue(ns("c").list().isEmpty());
    }

    @Test
    void prepare_errors() throws Exception {
        ns("a").prepare("k", "", Map.of());
        assertKind(ErrorKind.ALREADY_EXISTS, () -> ns("a").prepare("k", "", Map.of()));
        assertKind(ErrorKind.NOT_FOUND, () -> ns("a").prepare("k2", "missing", Map.of()));
        assertKind(ErrorKind.FAILED_PRECONDITION, () -> ns("a").prepare("k2", "k", Map.of()));
        assertKind(ErrorKind.INVALID_ARGUMENT, () -> ns("a").prepare("", "", Map.of()));
        ns("b").prepare("p", "", Map.of());
        ns("b").commit("p-done", "p", Map.of());
        // a parent of another namespace is not visible
        assertKind(ErrorKind.NOT_FOUND, () -> ns("a").prepare("k3", "p-done", Map.of()));
    }

    @Test
    void commit_errors() throws Exception {
        ns("a").prepare("k", "", Map.of());
        ns("a").view("v", "", Map.of());
        assertKind(ErrorKind.NOT_FOUND, () -> ns("a").commit("n", "missing", Map.of()));
        assertKind(ErrorKind.FAILED_PRECONDITION, () -> ns("a").commit("n", "v", Map.of()));
        assertKind(ErrorKind.ALREADY_EXISTS, () -> ns("a").commit("v", "k", Map.of()));
        assertEquals(SnapshotKind.ACTIVE, ns("a").stat("k").kind());
    }

    @Test
    void remove_withChildren_failedPrecondition_thenLeafFirst() throws Exception {
        MetadataSnapshotter s = ns("a");
        s.prepare("k1", "", Map.of());
        s.commit("base", "k1", Map.of(GcLabels.ROOT, "1"));
        s.prepare("child", "base", Map.of());
        assertKind(ErrorKind.FAILED_PRECONDITION, () -> s.remove("base"));
        s.remove("child");
        assertKind(ErrorKind.NOT_FOUND, () -> s.stat("child"));
        GcWait.await(db);
        assertEquals(Set.of("a/2/base"), snapshots.keys());
        s.remove("base");
        assertTrue(s.list().isEmpty());
        GcWait.await(db);
        assertTrue(snapshots.keys().isEmpty(), "collection removed both from the backend");
        assertKind(ErrorKind.NOT_FOUND, () -> s.remove("base"));
    }

    @Test
    void update_labelsByFieldpath() throws Exception {
        ns("a").prepare("k", "", Map.of("a", "1", "b", "2"));
        SnapshotInfo i = ns("a").update("k", Map.of("c", "3"), Set.of("labels.c", "labels.b"));
        assertEquals(Map.of("a", "1", "c", "3"), i.labels());
        assertEquals(Map.of(), snapshots.stat("a/1/k").labels(), "labels live in the database");
        assertKind(ErrorKind.INVALID_ARGUMENT, () -> ns("a").update("k", Map.of(), Set.of("parent")));
        assertKind(ErrorKind.NOT_FOUND, () -> ns("a").update("x", Map.of(), Set.of()));
    }

    @Test
    void backendLabels_onlyTheSnapshotNamespacePassesThrough() throws Exception {
        ns("a").prepare("k", "", Map.of("containerd.io/snapshot/remote", "x", "other", "y"));
        assertEquals(Map.of("containerd.io/snapshot/remote", "x"), snapshots.stat("a/1/k").labels());
    }

    @Test
    void lease_prepareAddsKey_commitMovesItToName() throws Exception {
        db.leases("a").create("l", Map.of());
        MetadataSnapshotter leased = db.snapshotter("a", SNAPSHOTTER, Optional.of("l"));
        leased.prepare("k", "", Map.of());
        assertEquals(List.of(LeaseResource.snapshot(SNAPSHOTTER, "k")), db.leases("a").listResources("l"));
        leased.commit("n", "k", Map.of());
        assertEquals(List.of(LeaseResource.snapshot(SNAPSHOTTER, "n")), db.leases("a").listResources("l"));
        assertKind(ErrorKind.NOT_FOUND, () -> db.snapshotter("a", SNAPSHOTTER, Optional.of("nope"))
                .prepare("k2", "", Map.of()));
        assertEquals(Set.of("a/2/n"), snapshots.keys(), "the failed prepare left nothing in the backend");
    }
}
