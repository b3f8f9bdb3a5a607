package dev.berth.manager.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.manager.content.Descriptor;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NamespaceStoreTest extends MetadataFixture {

    private static final Descriptor TARGET = new Descriptor("application/vnd.oci.image.index.v1+json",
            digestOf("index"), 5, Map.of());

    @Test
    void create_thenGetAndList() throws Exception {
        db.namespaces().create("b", Map.of("k", "v"));
        db.namespaces().create("a", Map.of());
        assertEquals(new NamespaceRecord("b", Map.of("k", "v")), db.namespaces().get("b"));
        assertEquals(List.of("a", "b"), db.namespaces().list().stream().map(NamespaceRecord::name).toList());
    }

    @Test
    void create_existing_alreadyExists() throws Exception {
        db.namespaces().create("default", Map.of());
        assertKind(ErrorKind.ALREADY_EXISTS, () -> db.namespaces().create("default", Map.of()));
    }

    @Test
    void create_invalidName_invalidArgument() {
        assertKind(ErrorKind.INVALID_ARGUMENT, () -> db.namespaces().create("no spaces", Map.of()));
        assertKind(ErrorKind.INVALID_ARGUMENT, () -> db.namespaces().create("", Map.of()));
    }

    @Test
    void get_missing_notFound() {
        assertKind(ErrorKind.NOT_FOUND, () -> db.namespaces().get("nope"));
    }

    @Test
    void update_labelPaths_setAndUnsetOneLabelEach() throws Exception {
        db.namespaces().create("ns", Map.of("a", "1", "b", "2"));
        NamespaceRecord updated = db.namespaces().update(new NamespaceRecord("ns", Map.of("c", "3")),
                Set.of("labels.c", "labels.a"));
        assertEquals(Map.of("b", "2", "c", "3"), updated.labels());
        assertEquals(updated, db.namespaces().get("ns"));
    }

    @Test
    void update_noPaths_replacesAllLabels() throws Exception {
        db.namespaces().create("ns", Map.of("a", "1"));
        assertEquals(Map.of("z", "9"),
                db.namespaces().update(new NamespaceRecord("ns", Map.of("z", "9")), Set.of()).labels());
    }

    @Test
    void update_otherPathOrMissingNamespace_rejected() throws Exception {
        db.namespaces().create("ns", Map.of());
        assertKind(ErrorKind.INVALID_ARGUMENT,
                () -> db.namespaces().update(new NamespaceRecord("ns", Map.of()), Set.of("name")));
        assertKind(ErrorKind.NOT_FOUND,
                () -> db.namespaces().update(new NamespaceRecord("nope", Map.of()), Set.of()));
    }

    @Test
    void writes_createTheirNamespace() throws Exception {
        db.images("implicit").create(ImageRecord.of("img", TARGET, Map.of()));
        db.leases("leased").create("l1", Map.of());
        commit("blobs", "data", Map.of());
        db.snapshotter("snaps", SNAPSHOTTER, Optional.empty()).prepare("k", "", Map.of());
        assertEquals(List.of("blobs", "implicit", "leased", "snaps"),
                db.namespaces().list().stream().map(NamespaceRecord::name).toList());
    }

    @Test
    void reads_inMissingNamespace_findNothing() throws Exception {
        assertKind(ErrorKind.NOT_FOUND, () -> db.images("nope").get("img"));
        assertTrue(db.images("nope").list().isEmpty());
        assertTrue(db.containers("nope").list().isEmpty());
        assertTrue(db.contentStore("nope", Optional.empty()).list().isEmpty());
        assertTrue(db.namespaces().list().isEmpty(), "reads create no namespace");
    }

    @Test
    void accessors_validateTheNamespace() {
        assertKind(ErrorKind.FAILED_PRECONDITION, () -> db.images(""));
        assertKind(ErrorKind.INVALID_ARGUMENT, () -> db.containers("a/b"));
        assertKind(ErrorKind.INVALID_ARGUMENT, () -> db.contentStore("..", Optional.empty()));
        assertKind(ErrorKind.INVALID_ARGUMENT, () -> db.snapshotter("ns", "btrfs", Optional.empty()));
    }

    @Test
    void delete_nonEmpty_failedPreconditionNamingWhatIsLeft() throws Exception {
        db.images("ns").create(ImageRecord.of("img", TARGET, Map.of()));
        commit("ns", "data", Map.of(GcLabels.ROOT, "x"));
        BerthException e = assertKind(ErrorKind.FAILED_PRECONDITION, () -> db.namespaces().delete("ns"));
        assertEquals("namespace ns must be empty, but it still has images, blobs", e.getMessage());
        assertEquals("ns", db.namespaces().get("ns").name());
    }

    @Test
    void delete_empty_takesLeasesWithIt() throws Exception {
        db.leases("ns").create("l1", Map.of());
        db.namespaces().delete("ns");
        assertKind(ErrorKind.NOT_FOUND, () -> db.namespaces().get("ns"));
        assertTrue(db.leases("ns").list().isEmpty());
        assertKind(ErrorKind.NOT_FOUND, () -> db.namespaces().delete("ns"));
    }
}
