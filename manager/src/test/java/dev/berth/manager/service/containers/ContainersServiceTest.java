package dev.berth.manager.service.containers;

import static dev.berth.manager.service.MetadataServices.assertCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.FieldMask;
import dev.berth.api.events.ContainerCreate;
import dev.berth.api.events.ContainerDelete;
import dev.berth.api.events.ContainerUpdate;
import dev.berth.api.services.containers.v1.Container;
import dev.berth.api.services.containers.v1.ContainersGrpc;
import dev.berth.api.services.containers.v1.CreateContainerRequest;
import dev.berth.api.services.containers.v1.DeleteContainerRequest;
import dev.berth.api.services.containers.v1.GetContainerRequest;
import dev.berth.api.services.containers.v1.ListContainerMessage;
import dev.berth.api.services.containers.v1.ListContainersRequest;
import dev.berth.api.services.containers.v1.UpdateContainerRequest;
import dev.berth.manager.event.Topics;
import dev.berth.manager.service.InProcessGrpc;
import dev.berth.manager.service.MetadataServices;
import io.grpc.Status;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainersServiceTest {

    private static final Any SPEC = any("types.containerd.io/opencontainers/runtime-spec/1/Spec",
            "{\"ociVersion\":\"1.0.2\"}");
    private static final Any OPTIONS = any("containerd.runc.v1.Options", "\u0008\u0001");
    private static final String RUNC = "io.containerd.runc.v2";

    @TempDir
    Path dir;
    private MetadataServices meta;
    private InProcessGrpc grpc;
    private ContainersGrpc.ContainersBlockingStub stub;

    @BeforeEach
    void serve() throws Exception {
        meta = new MetadataServices(dir);
        grpc = new InProcessGrpc(new ContainersService(meta.db::containers, meta.exchange));
        // containers must name images of their namespace
        var target = new dev.berth.manager.content.Descriptor("application/vnd.oci.image.manifest.v1+json",
                dev.berth.manager.content.Digest.parse("sha256:" + "cd".repeat(32)), 1);
        for (String name : java.util.List.of("docker.io/library/busybox:latest", "docker.io/library/alpine:3")) {
            meta.db.images("default").create(dev.berth.manager.metadata.ImageRecord.of(name, target,
                    java.util.Map.of()));
        }
        stub = grpc.inNamespace(ContainersGrpc.newBlockingStub(grpc.channel()), "default");
    }

    @AfterEach
    void stop() throws Exception {
        grpc.close();
        meta.close();
    }

    private static Any any(String typeUrl, String value) {
        return Any.newBuilder().setTypeUrl(typeUrl).setValue(ByteString.copyFromUtf8(value)).build();
    }

    private static Container.Builder container(String id) {
        return Container.newBuilder().setId(id).setImage("docker.io/library/busybox:latest")
                .setRuntime(Container.Runtime.newBuilder().setName(RUNC).setOptions(OPTIONS)).setSpec(SPEC)
                .setSnapshotter("overlayfs").setSnapshotKey(id).putLabels("app", "web")
                .putExtensions("ext", any("example.com/Ext", "e"));
    }

    private Container create(Container.Builder c) {
        return stub.create(CreateContainerRequest.newBuilder().setContainer(c).build()).getContainer();
    }

    private Container get(String id) {
        return stub.get(GetContainerRequest.newBuilder().setId(id).build()).getContainer();
    }

    private List<String> list(String... filters) {
        return stub.list(ListContainersRequest.newBuilder().addAllFilters(List.of(filters)).build())
                .getContainersList().stream().map(Container::getId).toList();
    }

    @Test
    void create_roundTripsEveryField_andPublishes() throws Exception {
        Container created = create(container("c1"));
        assertEquals(container("c1").setCreatedAt(created.getCreatedAt()).setUpdatedAt(created.getUpdatedAt())
                .build(), created);
        assertTrue(created.getCreatedAt().getSeconds() > 0);
        assertEquals(created, get("c1"));
        ContainerCreate event = meta.event("default", Topics.CONTAINER_CREATE, ContainerCreate.parser());
        assertEquals("c1", event.getId());
        assertEquals("docker.io/library/busybox:latest", event.getImage());
        assertEquals(RUNC, event.getRuntime().getName());
        assertEquals(OPTIONS, event.getRuntime().getOptions());
    }

    @Test
    void create_withoutOptionsOrExtensions_leavesThemUnset() throws Exception {
        Container created = create(container("c1").clearExtensions()
                .setRuntime(Container.Runtime.newBuilder().setName(RUNC)));
        assertFalse(created.getRuntime().hasOptions());
        assertEquals(Map.of(), created.getExtensionsMap());
        assertFalse(meta.event("default", Topics.CONTAINER_CREATE, ContainerCreate.parser()).getRuntime()
                .hasOptions());
    }

    @Test
    void create_duplicateOrInvalid_failsWithCode() throws Exception {
        create(container("c1"));
        meta.event("default", Topics.CONTAINER_CREATE, ContainerCreate.parser());
        assertCode(Status.Code.ALREADY_EXISTS, () -> create(container("c1")));
        assertCode(Status.Code.INVALID_ARGUMENT, () -> create(container("bad id")));
        assertCode(Status.Code.INVALID_ARGUMENT, () -> create(container("c2").clearSpec()));
        assertCode(Status.Code.INVALID_ARGUMENT, () -> create(container("c2").clearRuntime()));
        assertCode(Status.Code.NOT_FOUND, () -> get("none"));
        assertCode(Status.Code.INVALID_ARGUMENT, () -> grpc.inNamespace(ContainersGrpc.newBlockingStub(
                grpc.channel()), "bad ns").get(GetContainerRequest.newBuilder().setId("c1").build()));
        meta.noMoreEvents();
    }

    @Test
    void list_filters_asContainerd() {
        create(container("c1"));
        create(container("c2").setImage("docker.io/library/alpine:3").putLabels("app", "db"));
        create(container("c3").setRuntime(Container.Runtime.newBuilder().setName("io.containerd.runsc.v1"))
                .clearLabels());
        assertEquals(List.of("c1", "c2", "c3"), list());
        assertEquals(List.of("c1"), list("id==c1"));
        assertEquals(List.of("c2"), list("image~=alpine"));
        assertEquals(List.of("c3"), list("runtime.name==io.containerd.runsc.v1"));
        assertEquals(List.of("c1", "c2"), list("labels.app"));
        assertEquals(List.of("c1", "c3"), list("labels.app==web", "runtime.name!=" + RUNC));
        assertEquals(List.of("c1", "c2", "c3"), list("snapshotter==overlayfs"));
        assertCode(Status.Code.INVALID_ARGUMENT, () -> list("id=="));
    }

    @Test
    void listStream_sendsOneContainerPerMessage() {
        for (int i = 0; i < 5; i++) {
            create(container("c" + i));
        }
        List<String> ids = new ArrayList<>();
        Iterator<ListContainerMessage> it = stub.listStream(ListContainersRequest.newBuilder()
                .addFilters("labels.app==web").build());
        it.forEachRemaining(m -> ids.add(m.getContainer().getId()));
        assertEquals(List.of("c0", "c1", "c2", "c3", "c4"), ids);
        assertCode(Status.Code.INVALID_ARGUMENT, () -> stub.listStream(ListContainersRequest.newBuilder()
                .addFilters("id==").build()).hasNext());
    }

    @Test
    void update_masked_changesOnlyThoseFields_andPublishes() throws Exception {
        create(container("c1").putLabels("gone", "x"));
        Any newSpec = any(SPEC.getTypeUrl(), "{\"ociVersion\":\"1.1.0\"}");
        Container updated = stub.update(UpdateContainerRequest.newBuilder()
                .setContainer(Container.newBuilder().setId("c1").putLabels("new", "n").setSpec(newSpec)
                        .setImage("ignored:1"))
                .setUpdateMask(FieldMask.newBuilder().addPaths("labels.new").addPaths("labels.gone")
                        .addPaths("spec").addPaths("extensions.ext"))
                .build()).getContainer();
        assertEquals(Map.of("app", "web", "new", "n"), updated.getLabelsMap());
        assertEquals(newSpec, updated.getSpec());
        assertEquals("docker.io/library/busybox:latest", updated.getImage());
        assertEquals(Map.of(), updated.getExtensionsMap());
        assertEquals(RUNC, updated.getRuntime().getName());
        assertEquals(updated, get("c1"));
        meta.event("default", Topics.CONTAINER_CREATE, ContainerCreate.parser());
        ContainerUpdate event = meta.event("default", Topics.CONTAINER_UPDATE, ContainerUpdate.parser());
        assertEquals("c1", event.getId());
        assertEquals("docker.io/library/busybox:latest", event.getImage());
        assertEquals(Map.of("app", "web", "new", "n"), event.getLabelsMap());
        assertEquals("c1", event.getSnapshotKey());
    }

    @Test
    void update_withoutMask_replacesMutableFields_andRefusesImmutableOnes() {
        create(container("c1"));
        Container whole = stub.update(UpdateContainerRequest.newBuilder()
                .setContainer(container("c1").setImage("docker.io/library/alpine:3").clearLabels()).build())
                .getContainer();
        assertEquals("docker.io/library/alpine:3", whole.getImage());
        assertEquals(Map.of(), whole.getLabelsMap());
        assertCode(Status.Code.INVALID_ARGUMENT, () -> stub.update(UpdateContainerRequest.newBuilder()
                .setContainer(container("c1").setSnapshotter("native")).build()));
        assertCode(Status.Code.INVALID_ARGUMENT, () -> stub.update(UpdateContainerRequest.newBuilder()
                .setContainer(container("c1").setRuntime(Container.Runtime.newBuilder().setName("other"))).build()));
    }

    @Test
    void update_badPathUnknownOrNoId_failsWithCode() {
        create(container("c1"));
        assertCode(Status.Code.INVALID_ARGUMENT, () -> stub.update(UpdateContainerRequest.newBuilder()
                .setContainer(container("c1")).setUpdateMask(FieldMask.newBuilder().addPaths("runtime")).build()));
        assertCode(Status.Code.NOT_FOUND, () -> stub.update(UpdateContainerRequest.newBuilder()
                .setContainer(container("none")).build()));
        assertCode(Status.Code.INVALID_ARGUMENT, () -> stub.update(UpdateContainerRequest.newBuilder()
                .setContainer(container("")).build()));
    }

    @Test
    void delete_removesAndPublishes() throws Exception {
        create(container("c1"));
        stub.delete(DeleteContainerRequest.newBuilder().setId("c1").build());
        assertEquals(List.of(), list());
        meta.event("default", Topics.CONTAINER_CREATE, ContainerCreate.parser());
        assertEquals("c1", meta.event("default", Topics.CONTAINER_DELETE, ContainerDelete.parser()).getId());
        assertCode(Status.Code.NOT_FOUND, () -> stub.delete(DeleteContainerRequest.newBuilder().setId("c1").build()));
        meta.noMoreEvents();
    }
}
