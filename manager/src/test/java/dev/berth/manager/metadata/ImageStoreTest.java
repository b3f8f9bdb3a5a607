package dev.berth.manager.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.api.errdefs.ErrorKind;
import dev.berth.manager.content.Descriptor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ImageStoreTest extends MetadataFixture {

    private static final String INDEX = "application/vnd.oci.image.index.v1+json";
    private static final Descriptor TARGET = new Descriptor(INDEX, digestOf("index"), 5, Map.of("a", "1"));

    @Test
    void create_thenGetReturnsTheRecordWithTimes() throws Exception {
        ImageRecord created = db.images("ns").create(ImageRecord.of("docker.io/library/busybox:latest", TARGET,
                Map.of("l", "v")));
        assertEquals(TARGET, created.target());
        assertEquals(Map.of("l", "v"), created.labels());
        assertEquals(clock.instant(), created.createdAt());
        assertEquals(created, db.images("ns").get("docker.io/library/busybox:latest"));
    }

    @Test
    void create_sameNameTwice_alreadyExists_butOtherNamespaceIsIndependent() throws Exception {
        db.images("ns").create(ImageRecord.of("img", TARGET, Map.of()));
        assertKind(ErrorKind.ALREADY_EXISTS, () -> db.images("ns").create(ImageRecord.of("img", TARGET, Map.of())));
        db.images("other").create(ImageRecord.of("img", TARGET, Map.of()));
        assertEquals(1, db.images("other").list().size());
    }

    @Test
    void create_invalid_invalidArgument() {
        assertKind(ErrorKind.INVALID_ARGUMENT, () -> db.images("ns").create(ImageRecord.of("", TARGET, Map.of())));
        Descriptor noType = new Descriptor("", digestOf("x"), 1, Map.of());
        assertKind(ErrorKind.INVALID_ARGUMENT, () -> db.images("ns").create(ImageRecord.of("i", noType, Map.of())));
        assertKind(ErrorKind.INVALID_ARGUMENT, () -> db.images("ns").create(ImageRecord.of("i", TARGET,
                Map.of("k", "v".repeat(Labels.MAX_SIZE)))));
    }

    @Test
    void list_sortedByName() throws Exception {
        db.images("ns").create(ImageRecord.of("b", TARGET, Map.of()));
        db.images("ns").create(ImageRecord.of("a", TARGET, Map.of()));
        assertEquals(List.of("a", "b"), db.images("ns").list().stream().map(ImageRecord::name).toList());
    }

    @Test
    void update_fieldpaths() throws Exception {
        ImageStore images = db.images("ns");
        images.create(ImageRecord.of("img", TARGET, Map.of("keep", "1", "drop", "2")));
        clock.advance(Duration.ofSeconds(5));
        Descriptor other = new Descriptor("application/vnd.oci.image.manifest.v1+json", digestOf("manifest"), 8,
                Map.of("b", "2"));

        ImageRecord r = images.update(ImageRecord.of("img", other, Map.of("new", "3")), Set.of("labels.new",
                "labels.drop"));
        assertEquals(Map.of("keep", "1", "new", "3"), r.labels());
        assertEquals(TARGET, r.target(), "target untouched");
        assertEquals(r.createdAt().plusSeconds(5), r.updatedAt());

        r = images.update(ImageRecord.of("img", other, Map.of()), Set.of("annotations.b"));
        assertEquals(Map.of("a", "1", "b", "2"), r.target().annotations());

        r = images.update(ImageRecord.of("img", other, Map.of()), Set.of("annotations"));
        assertEquals(Map.of("b", "2"), r.target().annotations());
        assertEquals(TARGET.digest(), r.target().digest());

        r = images.update(ImageRecord.of("img", other, Map.of("x", "y")), Set.of("target"));
        assertEquals(other, r.target());
        assertEquals(Map.of("keep", "1", "new", "3"), r.labels());

        r = images.update(ImageRecord.of("img", TARGET, Map.of("x", "y")), Set.of("labels"));
        assertEquals(Map.of("x", "y"), r.labels());

        r = images.update(ImageRecord.of("img", other, Map.of()), Set.of());
        assertEquals(other, r.target());
        assertEquals(Map.of(), r.labels());
        assertEquals(r, images.get("img"));
    }

    @Test
    void update_unknownPathOrMissingImage_rejected() throws Exception {
        db.images("ns").create(ImageRecord.of("img", TARGET, Map.of()));
        assertKind(ErrorKind.INVALID_ARGUMENT,
                () -> db.images("ns").update(ImageRecord.of("img", TARGET, Map.of()), Set.of("name")));
        assertKind(ErrorKind.NOT_FOUND,
                () -> db.images("ns").update(ImageRecord.of("nope", TARGET, Map.of()), Set.of()));
    }

    @Test
    void delete_removesTheRecord_andMissingIsNotFound() throws Exception {
        db.images("ns").create(ImageRecord.of("img", TARGET, Map.of("l", "v")));
        db.images("ns").delete("img");
        assertKind(ErrorKind.NOT_FOUND, () -> db.images("ns").get("img"));
        assertKind(ErrorKind.NOT_FOUND, () -> db.images("ns").delete("img"));
        db.images("ns").create(ImageRecord.of("img", TARGET, Map.of()));
        assertEquals(Map.of(), db.images("ns").get("img").labels(), "labels went with the record");
    }
}
