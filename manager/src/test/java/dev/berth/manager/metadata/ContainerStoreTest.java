package dev.berth.manager.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContainerStoreTest extends MetadataFixture {

    private static final AnyValue SPEC = any("types.containerd.io/opencontainers/runtime-spec/1/Spec", "{\"a\":1}");
    private static final ContainerRecord.Runtime RUNC = new ContainerRecord.Runtime("io.containerd.runc.v2",
            any("containerd.runc.v1.Options", "opts"));

    private static AnyValue any(String type, String value) {
        return new AnyValue(type, value.getBytes(StandardCharsets.UTF_8));
    }

    private static ContainerRecord.Builder container(String id) {
        return ContainerRecord.builder(id).runtime(RUNC).spec(SPEC);
    }

    /** Containers must name images of their namespace: the ones these tests use. */
    @org.junit.jupiter.api.BeforeEach
    void images() throws Exception {
        var target = new dev.berth.manager.content.Descriptor("application/vnd.oci.image.manifest.v1+json",
                dev.berth.manager.content.Digest.parse("sha256:" + "ab".repeat(32)), 1);
        for (String name : List.of("docker.io/library/nginx:latest", "img1", "img2", "i")) {
            db.images("ns").create(ImageRecord.of(name, target, Map.of()));
        }
    }

    @Test
    void create_unknownImage_isNotFound() {
        BerthException e = assertThrows(BerthException.class,
                () -> db.containers("ns").create(container("c").image("nope:1").build()));
        assertEquals(ErrorKind.NOT_FOUND, e.kind());
        assertEquals("create container c: image nope:1 not found", e.getMessage());
    }

    @Test
    void create_thenGet_roundTripsEveryField() throws Exception {
        ContainerRecord c = container("web-1").labels(Map.of("l", "v")).image("docker.io/library/nginx:latest")
                .snapshotter("overlayfs").snapshotKey("web-1-snap")
                .extensions(Map.of("ext", any("t", "x"), "empty", AnyValue.EMPTY)).sandbox("pod-1").build();
        ContainerRecord created = db.containers("ns").create(c);
        assertEquals(clock.instant(), created.createdAt());
        assertEquals(created.createdAt(), created.updatedAt());
        assertEquals(c.toBuilder().build(), created.toBuilder().build(), "all but the times as given");
        assertEquals(created, db.containers("ns").get("web-1"));
        assertEquals(List.of(created), db.containers("ns").list());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-a", "a-", "a..b", "a b", "a/b", "ü", "a_-b"})
    void create_invalidId_invalidArgument(String id) {
        assertKind(ErrorKind.INVALID_ARGUMENT, () -> db.containers("ns").create(container(id).build()));
    }

    @Test
    void create_idLength_upTo76() throws Exception {
        db.containers("ns").create(container("a".repeat(76)).build());
        assertKind(ErrorKind.INVALID_ARGUMENT, () -> db.containers("ns").create(container("a".repeat(77)).build()));
        db.containers("ns").create(container("a.b_c-d.9").build());
    }

    @Test
    void create_missingRequiredFields_invalidArgument() {
        ContainerStore store = db.containers("ns");
        assertKind(ErrorKind.INVALID_ARGUMENT, () -> store.create(ContainerRecord.builder("c").spec(SPEC).build()));
        assertKind(ErrorKind.INVALID_ARGUMENT, () -> store.create(ContainerRecord.builder("c").runtime(RUNC).build()));
        assertKind(ErrorKind.INVALID_ARGUMENT, () -> store.create(container("c").snapshotKey("k").build()));
        assertKind(ErrorKind.INVALID_ARGUMENT,
                () -> store.create(container("c").extensions(Map.of("", AnyValue.EMPTY)).build()));
    }

    @Test
    void create_duplicate_alreadyExists() throws Exception {
        db.containers("ns").create(container("c").build());
        assertKind(ErrorKind.ALREADY_EXISTS, () -> db.containers("ns").create(container("c").build()));
    }

    @Test
    void update_fieldpaths_asContainerd() throws Exception {
        ContainerStore store = db.containers("ns");
        store.create(container("c").labels(Map.of("a", "1", "b", "2")).image("img1").snapshotter("overlayfs")
                .snapshotKey("k1").extensions(Map.of("e1", any("t", "1"))).build());
        ContainerRecord request = container("c").labels(Map.of("a", "10", "z", "26")).image("img2")
                .spec(any("spec", "2")).snapshotter("other").snapshotKey("k2")
                .extensions(Map.of("e2", any("t", "2"))).build();

        ContainerRecord r = store.update(request, Set.of("labels.a", "labels.b"));
        assertEquals(Map.of("a", "10"), r.labels());
        assertEquals("img1", r.image());

        r = store.update(request, Set.of("image", "snapshotkey", "spec", "extensions.e2"));
        assertEquals("img2", r.image());
        assertEquals("k2", r.snapshotKey());
        assertEquals(any("spec", "2"), r.spec());
        assertEquals(Map.of("e1", any("t", "1"), "e2", any("t", "2")), r.extensions());
        assertEquals("overlayfs", r.snapshotter(), "snapshotter is not updatable");

        r = store.update(request, Set.of("extensions", "labels"));
        assertEquals(Map.of("e2", any("t", "2")), r.extensions());
        assertEquals(Map.of("a", "10", "z", "26"), r.labels());
        assertEquals(r, store.get("c"));
    }

    @Test
    void update_noPaths_replacesMutableFields_andRejectsImmutableChanges() throws Exception {
        ContainerStore store = db.containers("ns");
        store.create(container("c").labels(Map.of("a", "1")).snapshotter("overlayfs").snapshotKey("k1").build());

        assertKind(ErrorKind.INVALID_ARGUMENT, () -> store.update(container("c").snapshotter("native").build(),
                Set.of()));
        assertKind(ErrorKind.INVALID_ARGUMENT, () -> store.update(ContainerRecord.builder("c").spec(SPEC)
                .runtime(new ContainerRecord.Runtime("other", AnyValue.EMPTY)).snapshotter("overlayfs").build(),
                Set.of()));

        ContainerRecord r = store.update(container("c").image("i").snapshotter("overlayfs").snapshotKey("k2")
                .build(), Set.of());
        assertEquals(Map.of(), r.labels());
        assertEquals("i", r.image());
        assertEquals("k2", r.snapshotKey());
    }

    @Test
    void update_unknownPathOrMissing_rejected() throws Exception {
        db.containers("ns").create(container("c").build());
        assertKind(ErrorKind.INVALID_ARGUMENT, () -> db.containers("ns").update(container("c").build(),
                Set.of("runtime")));
        assertKind(ErrorKind.INVALID_ARGUMENT, () -> db.containers("ns").update(container("c").spec(AnyValue.EMPTY)
                .build(), Set.of("spec")));
        assertEquals(SPEC, db.containers("ns").get("c").spec(), "a rejected update changes nothing");
        assertKind(ErrorKind.NOT_FOUND, () -> db.containers("ns").update(container("x").build(), Set.of()));
    }

    @Test
    void delete_removesRecordAndChildren() throws Exception {
        db.containers("ns").create(container("c").labels(Map.of("a", "1"))
                .extensions(Map.of("e", any("t", "1"))).build());
        db.containers("ns").delete("c");
        assertKind(ErrorKind.NOT_FOUND, () -> db.containers("ns").get("c"));
        assertKind(ErrorKind.NOT_FOUND, () -> db.containers("ns").delete("c"));
        ContainerRecord again = db.containers("ns").create(container("c").build());
        assertEquals(Map.of(), again.labels());
        assertEquals(Map.of(), again.extensions());
    }
}
