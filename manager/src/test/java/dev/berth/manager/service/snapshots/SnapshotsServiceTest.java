package dev.berth.manager.service.snapshots;

import static dev.berth.manager.service.MetadataServices.assertCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.FieldMask;
import dev.berth.api.services.snapshots.v1.CleanupRequest;
import dev.berth.api.services.snapshots.v1.CommitSnapshotRequest;
import dev.berth.api.services.snapshots.v1.Info;
import dev.berth.api.services.snapshots.v1.Kind;
import dev.berth.api.services.snapshots.v1.ListSnapshotsRequest;
import dev.berth.api.services.snapshots.v1.MountsRequest;
import dev.berth.api.services.snapshots.v1.PrepareSnapshotRequest;
import dev.berth.api.services.snapshots.v1.RemoveSnapshotRequest;
import dev.berth.api.services.snapshots.v1.SnapshotsGrpc;
import dev.berth.api.services.snapshots.v1.StatSnapshotRequest;
import dev.berth.api.services.snapshots.v1.UpdateSnapshotRequest;
import dev.berth.api.services.snapshots.v1.UsageRequest;
import dev.berth.api.services.snapshots.v1.UsageResponse;
import dev.berth.api.services.snapshots.v1.ViewSnapshotRequest;
import dev.berth.api.types.Mount;
import dev.berth.manager.service.InProcessGrpc;
import dev.berth.manager.service.MetadataServices;
import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The snapshots service over the metadata layer and the real overlay snapshotter (nothing is mounted: the
 * snapshotter only makes directories and describes mounts). Calls work under a lease, as ctr's do, so that the
 * collection after a remove keeps the other snapshots.
 */
class SnapshotsServiceTest {

    private static final String LEASE = "test-lease";

    @TempDir
    Path dir;
    private MetadataServices meta;
    private InProcessGrpc grpc;
    private SnapshotsGrpc.SnapshotsBlockingStub stub;

    @BeforeEach
    void serve() throws Exception {
        meta = new MetadataServices(dir);
        grpc = new InProcessGrpc(new SnapshotsService((ns, name, lease) ->
                meta.db.snapshotter(ns, name.isEmpty() ? "overlayfs" : name, lease), meta.exchange));
        meta.db.leases("default").create(LEASE, Map.of());
        stub = grpc.inNamespace(SnapshotsGrpc.newBlockingStub(grpc.channel()), "default", LEASE);
    }

    @AfterEach
    void stop() throws Exception {
        grpc.close();
        meta.close();
    }

    private static List<Mount> prepare(SnapshotsGrpc.SnapshotsBlockingStub s, String key, String parent,
                                       Map<String, String> labels) {
        return s.prepare(PrepareSnapshotRequest.newBuilder().setKey(key).setParent(parent).putAllLabels(labels)
                .build()).getMountsList();
    }

    private List<Mount> prepare(String key, String parent) {
        return prepare(stub, key, parent, Map.of());
    }

    private void commit(String name, String key) {
        stub.commit(CommitSnapshotRequest.newBuilder().setName(name).setKey(key).build());
    }

    private Info stat(String key) {
        return stub.stat(StatSnapshotRequest.newBuilder().setKey(key).build()).getInfo();
    }

    private List<String> list(String... filters) {
        List<String> names = new ArrayList<>();
        stub.list(ListSnapshotsRequest.newBuilder().addAllFilters(List.of(filters)).build())
                .forEachRemaining(r -> r.getInfoList().forEach(i -> names.add(i.getName())));
        return names;
    }

    private static String option(Mount m, String prefix) {
        return m.getOptionsList().stream().filter(o -> o.startsWith(prefix)).findFirst()
                .map(o -> o.substring(prefix.length())).orElseThrow(() -> new AssertionError(m + " has no " + prefix));
    }

    /** The backend's snapshot directories (ids), which the collector removes once their records are gone. */
    private long backendSnapshots() throws IOException {
        Path snapshots = dir.resolve("overlayfs/snapshots");
        if (!Files.isDirectory(snapshots)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(snapshots)) {
            return s.count();
        }
    }

    @Test
    void prepareCommitRemove_publishContainerdsSnapshotEvents() throws Exception {
        prepare("ev-active", "");
        commit("ev-layer", "ev-active");
        stub.remove(dev.berth.api.services.snapshots.v1.RemoveSnapshotRequest.newBuilder().setKey("ev-layer").build());
        var prepared = meta.event("default", "/snapshot/prepare", dev.berth.api.events.SnapshotPrepare.parser());
        assertEquals("ev-active", prepared.getKey());
        var committed = meta.event("default", "/snapshot/commit", dev.berth.api.events.SnapshotCommit.parser());
        assertEquals("ev-layer", committed.getName());
        assertEquals("ev-active", committed.getKey());
        var removed = meta.event("default", "/snapshot/remove", dev.berth.api.events.SnapshotRemove.parser());
        assertEquals("ev-layer", removed.getKey());
    }

    @Test
    void prepare_root_isReadWriteBind_child_isOverlayOverTheParentsDirectory() throws Exception {
        List<Mount> root = prepare("base", "");
        assertEquals(1, root.size());
        assertEquals("bind", root.getFirst().getType());
        assertTrue(root.getFirst().getOptionsList().containsAll(List.of("rw", "rbind")), root.toString());
        Path baseDir = Path.of(root.getFirst().getSource());
        assertTrue(Files.isDirectory(baseDir), "the bind source exists: " + baseDir);
        Files.writeString(baseDir.resolve("hello"), "from base");

        commit("layer1", "base");
        List<Mount> child = prepare("child", "layer1");
        assertEquals(1, child.size());
        Mount overlay = child.getFirst();
        assertEquals("overlay", overlay.getType());
        assertEquals(baseDir.toString(), option(overlay, "lowerdir="), "the committed parent's fs is the lowerdir");
        Path upper = Path.of(option(overlay, "upperdir="));
        assertTrue(Files.isDirectory(upper));
        assertTrue(Files.isDirectory(Path.of(option(overlay, "workdir="))));
        assertFalse(upper.equals(baseDir));
        assertEquals(child, stub.mounts(MountsRequest.newBuilder().setKey("child").build()).getMountsList(),
                "mounts answers what prepare did");
    }

    @Test
    void view_ofCommitted_isReadOnlyBindOfTheParent() {
        List<Mount> base = prepare("base", "");
        commit("layer1", "base");
        List<Mount> view = stub.view(ViewSnapshotRequest.newBuilder().setKey("v").setParent("layer1").build())
                .getMountsList();
        assertEquals(1, view.size());
        assertEquals("bind", view.getFirst().getType());
        assertEquals(base.getFirst().getSource(), view.getFirst().getSource());
        assertTrue(view.getFirst().getOptionsList().contains("ro"), view.toString());
        assertEquals(Kind.VIEW, stat("v").getKind());
    }

    @Test
    void stat_givesKindParentAndLabels_andCommitReplacesTheKey() {
        prepare(stub, "base", "", Map.of("a", "1"));
        Info active = stat("base");
        assertEquals("base", active.getName());
        assertEquals(Kind.ACTIVE, active.getKind());
        assertEquals("", active.getParent());
        assertEquals(Map.of("a", "1"), active.getLabelsMap());
        assertTrue(active.getCreatedAt().getSeconds() > 0);

        stub.commit(CommitSnapshotRequest.newBuilder().setName("layer1").setKey("base").putLabels("b", "2").build());
        Info committed = stat("layer1");
        assertEquals(Kind.COMMITTED, committed.getKind());
        assertEquals(Map.of("b", "2"), committed.getLabelsMap(), "commit's labels are the committed snapshot's");
        assertCode(Status.Code.NOT_FOUND, () -> stat("base"));

        prepare("child", "layer1");
        Info child = stat("child");
        assertEquals("layer1", child.getParent());
        assertEquals(Kind.ACTIVE, child.getKind());
    }

    @Test
    void update_withMask_changesOnlyTheNamedLabels() {
        prepare(stub, "s", "", Map.of("keep", "k", "change", "old", "drop", "d"));
        Info updated = stub.update(UpdateSnapshotRequest.newBuilder()
                .setInfo(Info.newBuilder().setName("s").putLabels("change", "new").putLabels("added", "a")
                        .putLabels("keep", "ignored"))
                .setUpdateMask(FieldMask.newBuilder().addPaths("labels.change").addPaths("labels.added")
                        .addPaths("labels.drop"))
                .build()).getInfo();
        assertEquals(Map.of("keep", "k", "change", "new", "added", "a"), updated.getLabelsMap());
        assertEquals(updated.getLabelsMap(), stat("s").getLabelsMap());

        Info replaced = stub.update(UpdateSnapshotRequest.newBuilder()
                .setInfo(Info.newBuilder().setName("s").putLabels("only", "this")).build()).getInfo();
        assertEquals(Map.of("only", "this"), replaced.getLabelsMap(), "no mask replaces all labels");
        assertCode(Status.Code.INVALID_ARGUMENT, () -> stub.update(UpdateSnapshotRequest.newBuilder()
                .setInfo(Info.newBuilder().setName("s").setParent("x"))
                .setUpdateMask(FieldMask.newBuilder().addPaths("parent")).build()));
    }

    @Test
    void list_all_andFilteredByKindNameParentAndLabel() {
        prepare(stub, "base", "", Map.of("x", "y"));
        commit("layer1", "base");
        prepare(stub, "c1", "layer1", Map.of("x", "y", "containerd.io/role", "app"));
        prepare(stub, "c2", "layer1", Map.of("x", "z"));
        stub.view(ViewSnapshotRequest.newBuilder().setKey("v").setParent("layer1").build());

        assertEquals(List.of("c1", "c2", "layer1", "v"), list());
        assertEquals(List.of("layer1"), list("kind==committed"));
        assertEquals(List.of("c1", "c2"), list("kind==active"));
        assertEquals(List.of("v"), list("kind==view"));
        assertEquals(List.of("c1", "c2", "v"), list("parent==layer1"));
        assertEquals(List.of("c1"), list("labels.x==y"));
        assertEquals(List.of("c1"), list("labels.\"containerd.io/role\"==app"));
        assertEquals(List.of("c1", "c2"), list("labels.x"), "a label's presence");
        assertEquals(List.of("c2", "layer1"), list("name==c2", "kind==committed"), "any of the filters");
        assertEquals(List.of("c1"), list("kind==active,labels.x==y"), "all selectors of one filter");
        assertEquals(List.of(), list("kind==nope"));
        assertCode(Status.Code.INVALID_ARGUMENT, () -> list("kind=="));
    }

    @Test
    void usage_countsTheActiveSnapshotsFiles() throws Exception {
        Path fs = Path.of(prepare("s", "").getFirst().getSource());
        UsageResponse empty = stub.usage(UsageRequest.newBuilder().setKey("s").build());
        Files.write(fs.resolve("data"), new byte[64 * 1024]);
        Files.createDirectories(fs.resolve("d"));
        UsageResponse used = stub.usage(UsageRequest.newBuilder().setKey("s").build());
        assertTrue(used.getSize() >= empty.getSize() + 64 * 1024, used + " vs " + empty);
        assertTrue(used.getInodes() >= empty.getInodes() + 2, used + " vs " + empty);
    }

    @Test
    void remove_parentWithChildren_isFailedPrecondition_childThenParentSucceeds() throws Exception {
        prepare("base", "");
        commit("layer1", "base");
        prepare("child", "layer1");
        long before = backendSnapshots();
        assertEquals(2, before);

        String msg = assertCode(Status.Code.FAILED_PRECONDITION,
                () -> stub.remove(RemoveSnapshotRequest.newBuilder().setKey("layer1").build()));
        assertTrue(msg.contains("layer1"), msg);
        assertEquals(Kind.COMMITTED, stat("layer1").getKind(), "a refused remove changes nothing");

        stub.remove(RemoveSnapshotRequest.newBuilder().setKey("child").build());
        assertCode(Status.Code.NOT_FOUND, () -> stat("child"));
        stub.remove(RemoveSnapshotRequest.newBuilder().setKey("layer1").build());
        assertEquals(List.of(), list());
        assertTrue(meta.db.awaitGarbageCollected(Duration.ofSeconds(10)));
        assertEquals(0, backendSnapshots(), "the collection after remove deletes the backend snapshots");
    }

    @Test
    void cleanup_collectsSnapshotsOutsideAnyLease_andKeepsLeasedOnes() throws Exception {
        prepare("leased", "");
        SnapshotsGrpc.SnapshotsBlockingStub unleased =
                grpc.inNamespace(SnapshotsGrpc.newBlockingStub(grpc.channel()), "default");
        prepare(unleased, "loose", "", Map.of());
        prepare(unleased, "rooted", "", Map.of("containerd.io/gc.root", "2024-01-01T00:00:00Z"));
        assertEquals(3, backendSnapshots());

        stub.cleanup(CleanupRequest.getDefaultInstance());
        assertEquals(List.of("leased", "rooted"), list());
        assertEquals(2, backendSnapshots());
    }

    @Test
    void errors_unknownKeyOrParent_duplicateKey_emptyKey() {
        String unknown = assertCode(Status.Code.NOT_FOUND, () -> stat("nope"));
        assertTrue(unknown.contains("nope"), unknown);
        assertCode(Status.Code.NOT_FOUND, () -> stub.mounts(MountsRequest.newBuilder().setKey("nope").build()));
        assertCode(Status.Code.NOT_FOUND, () -> stub.usage(UsageRequest.newBuilder().setKey("nope").build()));
        assertCode(Status.Code.NOT_FOUND, () -> stub.remove(RemoveSnapshotRequest.newBuilder().setKey("nope").build()));
        assertCode(Status.Code.NOT_FOUND, () -> commit("n", "nope"));
        String parent = assertCode(Status.Code.NOT_FOUND, () -> prepare("k", "no-parent"));
        assertTrue(parent.contains("no-parent"), parent);
        assertCode(Status.Code.NOT_FOUND, () -> stat("k"));

        prepare("k", "");
        String dup = assertCode(Status.Code.ALREADY_EXISTS, () -> prepare("k", ""));
        assertTrue(dup.contains("k"), dup);
        assertCode(Status.Code.ALREADY_EXISTS, () -> stub.view(ViewSnapshotRequest.newBuilder().setKey("k").build()));
        prepare("k2", "");
        commit("done", "k2");
        assertCode(Status.Code.ALREADY_EXISTS, () -> commit("done", "k"));
        String active = assertCode(Status.Code.FAILED_PRECONDITION, () -> prepare("k3", "k"));
        assertTrue(active.contains("not committed"), active);
        assertCode(Status.Code.INVALID_ARGUMENT, () -> prepare("", ""));
    }

    @Test
    void unknownSnapshotter_isInvalidArgumentNamingIt() {
        String msg = assertCode(Status.Code.INVALID_ARGUMENT, () -> stub.prepare(PrepareSnapshotRequest.newBuilder()
                .setSnapshotter("btrfs").setKey("k").build()));
        assertTrue(msg.contains("snapshotter btrfs: not loaded"), msg);
        assertCode(Status.Code.INVALID_ARGUMENT, () -> stub.list(ListSnapshotsRequest.newBuilder()
                .setSnapshotter("btrfs").build()).hasNext());
        assertEquals(List.of(), list(), "nothing was prepared anywhere");
    }

    @Test
    void namespaces_areRequiredAndIsolated() throws Exception {
        var bare = SnapshotsGrpc.newBlockingStub(grpc.channel());
        String msg = assertCode(Status.Code.INVALID_ARGUMENT,
                () -> bare.stat(StatSnapshotRequest.newBuilder().setKey("k").build()));
        assertTrue(msg.contains("namespace"), msg);
        assertCode(Status.Code.INVALID_ARGUMENT, () -> prepare(bare, "k", "", Map.of()));

        prepare("shared-name", "");
        meta.db.leases("other").create(LEASE, Map.of());
        var other = grpc.inNamespace(SnapshotsGrpc.newBlockingStub(grpc.channel()), "other", LEASE);
        assertCode(Status.Code.NOT_FOUND, () -> other.stat(StatSnapshotRequest.newBuilder().setKey("shared-name")
                .build()));
        assertFalse(other.list(ListSnapshotsRequest.getDefaultInstance()).hasNext());
        List<Mount> mine = prepare(other, "shared-name", "", Map.of());
        assertFalse(mine.getFirst().getSource().equals(prepare("second", "").getFirst().getSource()));
        other.remove(RemoveSnapshotRequest.newBuilder().setKey("shared-name").build());
        assertEquals(Kind.ACTIVE, stat("shared-name").getKind(), "removing in one namespace leaves the other's");
    }
}
