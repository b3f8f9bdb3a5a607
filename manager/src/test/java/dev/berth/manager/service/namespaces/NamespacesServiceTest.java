package dev.berth.manager.service.namespaces;

import static dev.berth.manager.service.MetadataServices.assertCode;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.FieldMask;
import dev.berth.api.events.NamespaceCreate;
import dev.berth.api.events.NamespaceDelete;
import dev.berth.api.events.NamespaceUpdate;
import dev.berth.api.services.namespaces.v1.CreateNamespaceRequest;
import dev.berth.api.services.namespaces.v1.DeleteNamespaceRequest;
import dev.berth.api.services.namespaces.v1.GetNamespaceRequest;
import dev.berth.api.services.namespaces.v1.ListNamespacesRequest;
import dev.berth.api.services.namespaces.v1.Namespace;
import dev.berth.api.services.namespaces.v1.NamespacesGrpc;
import dev.berth.api.services.namespaces.v1.UpdateNamespaceRequest;
import dev.berth.manager.content.Descriptor;
import dev.berth.manager.content.Digest;
import dev.berth.manager.event.Topics;
import dev.berth.manager.metadata.ImageRecord;
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

class NamespacesServiceTest {

    @TempDir
    Path dir;
    private MetadataServices meta;
    private InProcessGrpc grpc;
    private NamespacesGrpc.NamespacesBlockingStub stub;

    @BeforeEach
    void serve() throws Exception {
        meta = new MetadataServices(dir);
        grpc = new InProcessGrpc(new NamespacesService(meta.db.namespaces(), meta.exchange));
        // ctr sends the default namespace with every call, also to this service
        stub = grpc.inNamespace(NamespacesGrpc.newBlockingStub(grpc.channel()), "default");
    }

    @AfterEach
    void stop() throws Exception {
        grpc.close();
        meta.close();
    }

    private static Namespace ns(String name, Map<String, String> labels) {
        return Namespace.newBuilder().setName(name).putAllLabels(labels).build();
    }

    private void create(String name, Map<String, String> labels) {
        stub.create(CreateNamespaceRequest.newBuilder().setNamespace(ns(name, labels)).build());
    }

    @Test
    void create_getList_andPublishesInTheCallersNamespace() throws Exception {
        Namespace created = stub.create(CreateNamespaceRequest.newBuilder()
                .setNamespace(ns("build", Map.of("team", "a"))).build()).getNamespace();
        assertEquals(ns("build", Map.of("team", "a")), created);
        create("k8s.io", Map.of());

        assertEquals(created, stub.get(GetNamespaceRequest.newBuilder().setName("build").build()).getNamespace());
        assertEquals(List.of("build", "k8s.io"), stub.list(ListNamespacesRequest.getDefaultInstance())
                .getNamespacesList().stream().map(Namespace::getName).toList());
        NamespaceCreate event = meta.event("default", Topics.NAMESPACE_CREATE, NamespaceCreate.parser());
        assertEquals("build", event.getName());
        assertEquals(Map.of("team", "a"), event.getLabelsMap());
        assertEquals("k8s.io", meta.event("default", Topics.NAMESPACE_CREATE, NamespaceCreate.parser()).getName());
    }

    @Test
    void create_withoutCallNamespace_publishesInTheNewNamespace() throws Exception {
        NamespacesGrpc.newBlockingStub(grpc.channel())
                .create(CreateNamespaceRequest.newBuilder().setNamespace(ns("bare", Map.of())).build());
        assertEquals("bare", meta.event("bare", Topics.NAMESPACE_CREATE, NamespaceCreate.parser()).getName());
    }

    @Test
    void create_duplicateOrInvalid_failsWithCodeAndPublishesNothing() throws Exception {
        create("build", Map.of());
        meta.event("default", Topics.NAMESPACE_CREATE, NamespaceCreate.parser());
        assertCode(Status.Code.ALREADY_EXISTS, () -> create("build", Map.of()));
        assertCode(Status.Code.INVALID_ARGUMENT, () -> create("bad name", Map.of()));
        assertCode(Status.Code.INVALID_ARGUMENT, () -> create("", Map.of()));
        assertCode(Status.Code.NOT_FOUND, () -> stub.get(GetNamespaceRequest.newBuilder().setName("none").build()));
        meta.noMoreEvents();
    }

    @Test
    void update_withMask_setsAndUnsetsOneLabel() throws Exception {
        create("build", Map.of("a", "1", "b", "2"));
        Namespace updated = stub.update(UpdateNamespaceRequest.newBuilder()
                .setNamespace(ns("build", Map.of("c", "3")))
                .setUpdateMask(FieldMask.newBuilder().addPaths("labels.c").addPaths("labels.a")).build())
                .getNamespace();
        assertEquals(Map.of("b", "2", "c", "3"), updated.getLabelsMap());
        assertEquals(updated, stub.get(GetNamespaceRequest.newBuilder().setName("build").build()).getNamespace());
        meta.event("default", Topics.NAMESPACE_CREATE, NamespaceCreate.parser());
        NamespaceUpdate event = meta.event("default", Topics.NAMESPACE_UPDATE, NamespaceUpdate.parser());
        assertEquals("build", event.getName());
        assertEquals(Map.of("c", "3"), event.getLabelsMap());
    }

    @Test
    void update_withoutMask_replacesAllLabels() {
        create("build", Map.of("a", "1"));
        stub.update(UpdateNamespaceRequest.newBuilder().setNamespace(ns("build", Map.of("z", "9"))).build());
        assertEquals(Map.of("z", "9"), stub.get(GetNamespaceRequest.newBuilder().setName("build").build())
                .getNamespace().getLabelsMap());
    }

    @Test
    void update_badPathOrUnknown_failsWithCode() {
        create("build", Map.of());
        assertCode(Status.Code.INVALID_ARGUMENT, () -> stub.update(UpdateNamespaceRequest.newBuilder()
                .setNamespace(ns("build", Map.of())).setUpdateMask(FieldMask.newBuilder().addPaths("name")).build()));
        assertCode(Status.Code.NOT_FOUND, () -> stub.update(UpdateNamespaceRequest.newBuilder()
                .setNamespace(ns("none", Map.of("a", "b"))).build()));
    }

    @Test
    void delete_empty_removesAndPublishesInTheDeletedNamespace() throws Exception {
        create("build", Map.of());
        meta.event("default", Topics.NAMESPACE_CREATE, NamespaceCreate.parser());
        stub.delete(DeleteNamespaceRequest.newBuilder().setName("build").build());
        assertEquals("build", meta.event("build", Topics.NAMESPACE_DELETE, NamespaceDelete.parser()).getName());
        assertCode(Status.Code.NOT_FOUND, () -> stub.get(GetNamespaceRequest.newBuilder().setName("build").build()));
        assertCode(Status.Code.NOT_FOUND, () -> stub.delete(DeleteNamespaceRequest.newBuilder().setName("build")
                .build()));
        meta.noMoreEvents();
    }

    @Test
    void delete_notEmpty_isFailedPrecondition() throws Exception {
        create("build", Map.of());
        meta.db.images("build").create(ImageRecord.of("docker.io/library/busybox:latest",
                new Descriptor("application/vnd.oci.image.index.v1+json",
                        Digest.parse("sha256:" + "a".repeat(64)), 10), Map.of()));
        String message = assertCode(Status.Code.FAILED_PRECONDITION,
                () -> stub.delete(DeleteNamespaceRequest.newBuilder().setName("build").build()));
        assertEquals("namespace build must be empty, but it still has images", message);
        assertEquals("build", stub.get(GetNamespaceRequest.newBuilder().setName("build").build())
                .getNamespace().getName());
    }
}
