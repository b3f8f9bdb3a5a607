package dev.berth.manager.service.images;

import static dev.berth.manager.service.MetadataServices.assertCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.FieldMask;
import dev.berth.api.events.ImageCreate;
import dev.berth.api.events.ImageDelete;
import dev.berth.api.events.ImageUpdate;
import dev.berth.api.services.images.v1.CreateImageRequest;
import dev.berth.api.services.images.v1.DeleteImageRequest;
import dev.berth.api.services.images.v1.GetImageRequest;
import dev.berth.api.services.images.v1.Image;
import dev.berth.api.services.images.v1.ImagesGrpc;
import dev.berth.api.services.images.v1.ListImagesRequest;
import dev.berth.api.services.images.v1.UpdateImageRequest;
import dev.berth.api.types.Descriptor;
import dev.berth.manager.event.Topics;
import dev.berth.manager.service.InProcessGrpc;
import dev.berth.manager.service.MetadataServices;
import io.grpc.Status;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagesServiceTest {

    private static final String INDEX = "application/vnd.oci.image.index.v1+json";
    private static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private static final String D1 = "sha256:" + "1".repeat(64);
    private static final String D2 = "sha256:" + "2".repeat(64);

    @TempDir
    Path dir;
    private MetadataServices meta;
    private InProcessGrpc grpc;
    private ImagesGrpc.ImagesBlockingStub stub;

    @BeforeEach
    void serve() throws Exception {
        meta = new MetadataServices(dir);
        grpc = new InProcessGrpc(new ImagesService(meta.db::images, meta.exchange));
        stub = grpc.inNamespace(ImagesGrpc.newBlockingStub(grpc.channel()), "default");
    }

    @AfterEach
    void stop() throws Exception {
        grpc.close();
        meta.close();
    }

    private static Image image(String name, String mediaType, String digest, Map<String, String> labels) {
        return Image.newBuilder().setName(name).putAllLabels(labels).setTarget(Descriptor.newBuilder()
                .setMediaType(mediaType).setDigest(digest).setSize(42).putAnnotations("org.example", "x")).build();
    }

    private Image create(Image image) {
        return stub.create(CreateImageRequest.newBuilder().setImage(image).build()).getImage();
    }

    private Image get(String name) {
        return stub.get(GetImageRequest.newBuilder().setName(name).build()).getImage();
    }

    private List<String> list(String... filters) {
        return stub.list(ListImagesRequest.newBuilder().addAllFilters(List.of(filters)).build()).getImagesList()
                .stream().map(Image::getName).toList();
    }

    @Test
    void create_thenGetAndList_andPublishes() throws Exception {
        Image created = create(image("docker.io/library/busybox:latest", INDEX, D1, Map.of("a", "1")));
        assertEquals("docker.io/library/busybox:latest", created.getName());
        assertEquals(D1, created.getTarget().getDigest());
        assertEquals(42, created.getTarget().getSize());
        assertEquals(Map.of("org.example", "x"), created.getTarget().getAnnotationsMap());
        assertTrue(created.getCreatedAt().getSeconds() > 0);
        assertEquals(created, get("docker.io/library/busybox:latest"));
        ImageCreate event = meta.event("default", Topics.IMAGE_CREATE, ImageCreate.parser());
        assertEquals("docker.io/library/busybox:latest", event.getName());
        assertEquals(Map.of("a", "1"), event.getLabelsMap());
    }

    @Test
    void list_filters_asContainerd() {
        create(image("docker.io/library/busybox:latest", INDEX, D1, Map.of("env", "prod")));
        create(image("docker.io/library/alpine:3", MANIFEST, D2, Map.of()));
        assertEquals(List.of("docker.io/library/alpine:3", "docker.io/library/busybox:latest"), list());
        assertEquals(List.of("docker.io/library/busybox:latest"), list("labels.env==prod"));
        assertEquals(List.of("docker.io/library/alpine:3"), list("target.digest==" + D2));
        assertEquals(List.of("docker.io/library/alpine:3"), list("target.mediatype~=manifest"));
        assertEquals(List.of("docker.io/library/alpine:3", "docker.io/library/busybox:latest"),
                list("name~=alpine", "labels.env"));
        assertEquals(List.of(), list("annotations.org.example==y"));
        assertCode(Status.Code.INVALID_ARGUMENT, () -> list("name=="));
    }

    @Test
    void create_duplicateOrInvalid_failsWithCode() throws Exception {
        create(image("a:1", INDEX, D1, Map.of()));
        meta.event("default", Topics.IMAGE_CREATE, ImageCreate.parser());
        assertCode(Status.Code.ALREADY_EXISTS, () -> create(image("a:1", INDEX, D2, Map.of())));
        assertCode(Status.Code.INVALID_ARGUMENT, () -> create(image("", INDEX, D1, Map.of())));
        assertCode(Status.Code.INVALID_ARGUMENT, () -> create(image("b:1", INDEX, "sha256:nothex", Map.of())));
        assertCode(Status.Code.NOT_FOUND, () -> get("none:1"));
        assertCode(Status.Code.INVALID_ARGUMENT, () -> ImagesGrpc.newBlockingStub(grpc.channel())
                .get(GetImageRequest.newBuilder().setName("a:1").build()));
        meta.noMoreEvents();
    }

    @Test
    void update_maskedLabel_withEmptyTarget_keepsTheRest() throws Exception {
        create(image("a:1", INDEX, D1, Map.of("keep", "k", "drop", "d")));
        meta.event("default", Topics.IMAGE_CREATE, ImageCreate.parser());
        // as ctr's label updates send it: a name, the labels, no target
        Image updated = stub.update(UpdateImageRequest.newBuilder()
                .setImage(Image.newBuilder().setName("a:1").putLabels("new", "n"))
                .setUpdateMask(FieldMask.newBuilder().addPaths("labels.new").addPaths("labels.drop")).build())
                .getImage();
        assertEquals(Map.of("keep", "k", "new", "n"), updated.getLabelsMap());
        assertEquals(D1, updated.getTarget().getDigest());
        assertEquals(updated, get("a:1"));
        ImageUpdate event = meta.event("default", Topics.IMAGE_UPDATE, ImageUpdate.parser());
        assertEquals("a:1", event.getName());
        assertEquals(Map.of("keep", "k", "new", "n"), event.getLabelsMap());
    }

    @Test
    void update_targetOrWhole_replaces() {
        create(image("a:1", INDEX, D1, Map.of("x", "1")));
        Image retargeted = stub.update(UpdateImageRequest.newBuilder().setImage(image("a:1", MANIFEST, D2, Map.of()))
                .setUpdateMask(FieldMask.newBuilder().addPaths("target")).build()).getImage();
        assertEquals(D2, retargeted.getTarget().getDigest());
        assertEquals(MANIFEST, retargeted.getTarget().getMediaType());
        assertEquals(Map.of("x", "1"), retargeted.getLabelsMap());
        Image whole = stub.update(UpdateImageRequest.newBuilder().setImage(image("a:1", INDEX, D1, Map.of("y", "2")))
                .build()).getImage();
        assertEquals(D1, whole.getTarget().getDigest());
        assertEquals(Map.of("y", "2"), whole.getLabelsMap());
    }

    @Test
    void update_badPathUnknownOrNoName_failsWithCode() {
        create(image("a:1", INDEX, D1, Map.of()));
        assertCode(Status.Code.INVALID_ARGUMENT, () -> stub.update(UpdateImageRequest.newBuilder()
                .setImage(image("a:1", INDEX, D1, Map.of())).setUpdateMask(FieldMask.newBuilder().addPaths("name"))
                .build()));
        assertCode(Status.Code.NOT_FOUND, () -> stub.update(UpdateImageRequest.newBuilder()
                .setImage(image("b:1", INDEX, D1, Map.of())).build()));
        assertCode(Status.Code.INVALID_ARGUMENT, () -> stub.update(UpdateImageRequest.newBuilder()
                .setImage(image("", INDEX, D1, Map.of())).build()));
        assertCode(Status.Code.INVALID_ARGUMENT, () -> stub.update(UpdateImageRequest.newBuilder()
                .setImage(Image.newBuilder().setName("a:1")).build()));
    }

    @Test
    void delete_removesAndPublishes_withOrWithoutSync() throws Exception {
        create(image("a:1", INDEX, D1, Map.of()));
        create(image("b:1", INDEX, D2, Map.of()));
        stub.delete(DeleteImageRequest.newBuilder().setName("a:1").build());
        stub.delete(DeleteImageRequest.newBuilder().setName("b:1").setSync(true).build());
        assertEquals(List.of(), list());
        meta.event("default", Topics.IMAGE_CREATE, ImageCreate.parser());
        meta.event("default", Topics.IMAGE_CREATE, ImageCreate.parser());
        assertEquals("a:1", meta.event("default", Topics.IMAGE_DELETE, ImageDelete.parser()).getName());
        assertEquals("b:1", meta.event("default", Topics.IMAGE_DELETE, ImageDelete.parser()).getName());
        assertCode(Status.Code.NOT_FOUND, () -> stub.delete(DeleteImageRequest.newBuilder().setName("a:1").build()));
        meta.noMoreEvents();
    }

    @Test
    void namespaces_areSeparate() {
        create(image("a:1", INDEX, D1, Map.of()));
        ImagesGrpc.ImagesBlockingStub other = grpc.inNamespace(ImagesGrpc.newBlockingStub(grpc.channel()), "other");
        assertEquals(List.of(), other.list(ListImagesRequest.getDefaultInstance()).getImagesList());
        assertCode(Status.Code.NOT_FOUND, () -> other.get(GetImageRequest.newBuilder().setName("a:1").build()));
    }
}
