package dev.berth.manager.service.leases;

import static dev.berth.manager.service.MetadataServices.assertCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.api.services.leases.v1.AddResourceRequest;
import dev.berth.api.services.leases.v1.CreateRequest;
import dev.berth.api.services.leases.v1.DeleteRequest;
import dev.berth.api.services.leases.v1.DeleteResourceRequest;
import dev.berth.api.services.leases.v1.Lease;
import dev.berth.api.services.leases.v1.LeasesGrpc;
import dev.berth.api.services.leases.v1.ListRequest;
import dev.berth.api.services.leases.v1.ListResourcesRequest;
import dev.berth.api.services.leases.v1.Resource;
import dev.berth.manager.content.ContentWriter;
import dev.berth.manager.content.Digest;
import dev.berth.manager.metadata.GcLabels;
import dev.berth.manager.service.InProcessGrpc;
import dev.berth.manager.service.MetadataServices;
import io.grpc.Status;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeasesServiceTest {

    private static final String EXPIRE = "2099-01-01T00:00:00Z";

    @TempDir
    Path dir;
    private MetadataServices meta;
    private InProcessGrpc grpc;
    private LeasesGrpc.LeasesBlockingStub stub;

    @BeforeEach
    void serve() throws Exception {
        meta = new MetadataServices(dir);
        grpc = new InProcessGrpc(new LeasesService(meta.db::leases));
        stub = grpc.inNamespace(LeasesGrpc.newBlockingStub(grpc.channel()), "default");
    }

    @AfterEach
    void stop() throws Exception {
        grpc.close();
        meta.close();
    }

    private Lease create(String id, Map<String, String> labels) {
        return stub.create(CreateRequest.newBuilder().setId(id).putAllLabels(labels).build()).getLease();
    }

    private List<String> list(String... filters) {
        return stub.list(ListRequest.newBuilder().addAllFilters(List.of(filters)).build()).getLeasesList().stream()
                .map(Lease::getId).toList();
    }

    private List<Resource> resources(String id) {
        return stub.listResources(ListResourcesRequest.newBuilder().setId(id).build()).getResourcesList();
    }

    private static Resource resource(String id, String type) {
        return Resource.newBuilder().setId(id).setType(type).build();
    }

    /** Commits {@code data} outside any lease; it survives collection only while something references it. */
    private Digest commit(String data) throws Exception {
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        try (ContentWriter w = meta.db.contentStore("default", Optional.empty()).writer("ref-" + data, bytes.length,
                null)) {
            w.write(ByteBuffer.wrap(bytes));
            return w.commit(bytes.length, null, Map.of()).digest();
        }
    }

    @Test
    void create_withIdAndLabels_thenList() {
        Lease lease = create("pull-1", Map.of(GcLabels.EXPIRE, EXPIRE));
        assertEquals("pull-1", lease.getId());
        assertEquals(Map.of(GcLabels.EXPIRE, EXPIRE), lease.getLabelsMap());
        assertTrue(lease.getCreatedAt().getSeconds() > 0);
        assertEquals(List.of(lease), stub.list(ListRequest.getDefaultInstance()).getLeasesList());
    }

    @Test
    void create_withoutId_generatesDistinctContainerdStyleIds() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            String id = create("", Map.of()).getId();
            assertTrue(id.matches("[0-9]+-[A-Za-z0-9_-]{4}"), id);
            ids.add(id);
        }
        assertEquals(50, ids.size());
        assertEquals(50, list().size());
    }

    @Test
    void create_duplicateOrInvalid_failsWithCode() {
        create("l1", Map.of());
        assertCode(Status.Code.ALREADY_EXISTS, () -> create("l1", Map.of()));
        assertCode(Status.Code.INVALID_ARGUMENT, () -> create("bad id", Map.of()));
        assertCode(Status.Code.INVALID_ARGUMENT, () -> LeasesGrpc.newBlockingStub(grpc.channel())
                .create(CreateRequest.newBuilder().setId("l2").build()));
    }

    @Test
    void list_filters_asContainerd() {
        create("pull-1", Map.of("kind", "pull"));
        create("run-1", Map.of(GcLabels.EXPIRE, EXPIRE));
        assertEquals(List.of("pull-1", "run-1"), list());
        assertEquals(List.of("pull-1"), list("id==pull-1"));
        assertEquals(List.of("run-1"), list("labels.\"" + GcLabels.EXPIRE + "\""));
        assertEquals(List.of("pull-1", "run-1"), list("labels.kind==pull", "id~=^run"));
        assertCode(Status.Code.INVALID_ARGUMENT, () -> list("id=="));
    }

    @Test
    void resources_addListDelete() throws Exception {
        create("l1", Map.of());
        Resource content = resource("sha256:" + "a".repeat(64), "content");
        Resource snapshot = resource("rootfs-1", "snapshots/overlayfs");
        stub.addResource(AddResourceRequest.newBuilder().setId("l1").setResource(content).build());
        stub.addResource(AddResourceRequest.newBuilder().setId("l1").setResource(snapshot).build());
        assertEquals(Set.of(content, snapshot), Set.copyOf(resources("l1")));
        stub.deleteResource(DeleteResourceRequest.newBuilder().setId("l1").setResource(content).build());
        assertEquals(List.of(snapshot), resources("l1"));
    }

    @Test
    void resources_unknownLeaseOrBadResource_failsWithCode() {
        create("l1", Map.of());
        Resource content = resource("sha256:" + "a".repeat(64), "content");
        assertCode(Status.Code.NOT_FOUND, () -> stub.addResource(AddResourceRequest.newBuilder().setId("none")
                .setResource(content).build()));
        assertCode(Status.Code.NOT_FOUND, () -> resources("none"));
        assertCode(Status.Code.NOT_FOUND, () -> stub.deleteResource(DeleteResourceRequest.newBuilder()
                .setId("none").setResource(content).build()));
        assertCode(Status.Code.INVALID_ARGUMENT, () -> stub.addResource(AddResourceRequest.newBuilder().setId("l1")
                .setResource(resource("x", "tasks")).build()));
        assertCode(Status.Code.INVALID_ARGUMENT, () -> stub.addResource(AddResourceRequest.newBuilder().setId("l1")
                .setResource(resource("not-a-digest", "content")).build()));
    }

    @Test
    void delete_releasesWhatOnlyTheLeaseHeld_withOrWithoutSync() throws Exception {
        create("l1", Map.of());
        create("l2", Map.of());
        Digest kept = commit("kept");
        Digest released = commit("released");
        stub.addResource(AddResourceRequest.newBuilder().setId("l1")
                .setResource(resource(released.toString(), "content")).build());
        stub.addResource(AddResourceRequest.newBuilder().setId("l2")
                .setResource(resource(kept.toString(), "content")).build());
        stub.delete(DeleteRequest.newBuilder().setId("l1").setSync(true).build());
        assertEquals(List.of("l2"), list());
        var content = meta.db.contentStore("default", Optional.empty());
        assertEquals(kept, content.info(kept).digest());
        assertEquals(ErrorKind.NOT_FOUND, assertThrows(BerthException.class, () -> content.info(released)).kind());
        stub.delete(DeleteRequest.newBuilder().setId("l2").build());
        assertEquals(List.of(), list());
        assertCode(Status.Code.NOT_FOUND, () -> stub.delete(DeleteRequest.newBuilder().setId("l2").build()));
    }

    @Test
    void namespaces_areSeparate() {
        create("l1", Map.of());
        LeasesGrpc.LeasesBlockingStub other = grpc.inNamespace(LeasesGrpc.newBlockingStub(grpc.channel()), "other");
        assertEquals(List.of(), other.list(ListRequest.getDefaultInstance()).getLeasesList());
        assertNotEquals(List.of(), list());
        assertCode(Status.Code.NOT_FOUND, () -> other.listResources(ListResourcesRequest.newBuilder().setId("l1")
                .build()));
    }
}
