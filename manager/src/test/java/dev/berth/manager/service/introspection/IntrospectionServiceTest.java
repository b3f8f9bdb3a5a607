package dev.berth.manager.service.introspection;

import static dev.berth.manager.service.MetadataServices.assertCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Empty;
import dev.berth.api.services.introspection.v1.IntrospectionGrpc;
import dev.berth.api.services.introspection.v1.Plugin;
import dev.berth.api.services.introspection.v1.PluginsRequest;
import dev.berth.manager.service.InProcessGrpc;
import io.grpc.Status;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IntrospectionServiceTest {

    private static final String SNAPSHOTTER = "io.containerd.snapshotter.v1";
    private static final String GRPC = "io.containerd.grpc.v1";
    private static final String UUID = "0b0e5a0e-6f1c-4c1e-9d7e-0a1b2c3d4e5f";

    private InProcessGrpc grpc;
    private IntrospectionGrpc.IntrospectionBlockingStub stub;

    @BeforeEach
    void serve() throws Exception {
        List<PluginInfo> plugins = List.of(
                new PluginInfo("io.containerd.content.v1", "content", List.of(), Map.of("root", "/r/content")),
                new PluginInfo(SNAPSHOTTER, "overlayfs", List.of(), Map.of("root", "/r/snapshots/overlayfs")),
                new PluginInfo(SNAPSHOTTER, "native", List.of(), Map.of("root", "/r/snapshots/native")),
                new PluginInfo("io.containerd.metadata.v1", "sqlite",
                        List.of("io.containerd.content.v1", SNAPSHOTTER), Map.of()),
                new PluginInfo(GRPC, "snapshots", List.of("io.containerd.metadata.v1"), Map.of()),
                new PluginInfo(GRPC, "tasks", List.of("io.containerd.metadata.v1"), Map.of()));
        grpc = new InProcessGrpc(new IntrospectionService(plugins, UUID));
        // containerd's introspection is not namespaced; ctr sends its default namespace anyway
        stub = IntrospectionGrpc.newBlockingStub(grpc.channel());
    }

    @AfterEach
    void stop() throws Exception {
        grpc.close();
    }

    private List<String> ids(String... filters) {
        return stub.plugins(PluginsRequest.newBuilder().addAllFilters(List.of(filters)).build()).getPluginsList()
                .stream().map(p -> p.getType() + "." + p.getId()).toList();
    }

    @Test
    void plugins_listsEveryComponentInOrder_withRequiresExportsAndPlatforms() {
        List<Plugin> all = stub.plugins(PluginsRequest.getDefaultInstance()).getPluginsList();
        assertEquals(List.of("io.containerd.content.v1.content", SNAPSHOTTER + ".overlayfs", SNAPSHOTTER + ".native",
                "io.containerd.metadata.v1.sqlite", GRPC + ".snapshots", GRPC + ".tasks"), ids());
        Plugin overlay = all.get(1);
        assertEquals(Map.of("root", "/r/snapshots/overlayfs"), overlay.getExportsMap());
        assertEquals(1, overlay.getPlatformsCount(), "a snapshotter names the platform it serves");
        assertEquals("linux", overlay.getPlatforms(0).getOs());
        assertEquals(List.of("io.containerd.content.v1", SNAPSHOTTER), all.get(3).getRequiresList());
        assertEquals(0, all.get(4).getPlatformsCount());
        assertTrue(all.stream().noneMatch(Plugin::hasInitErr), "every component built");
    }

    @Test
    void plugins_filteredByTypeOrId() {
        assertEquals(List.of(SNAPSHOTTER + ".overlayfs", SNAPSHOTTER + ".native"), ids("type==" + SNAPSHOTTER));
        assertEquals(List.of(GRPC + ".snapshots", GRPC + ".tasks"), ids("type==" + GRPC));
        assertEquals(List.of(GRPC + ".tasks"), ids("type==" + GRPC + ",id==tasks"));
        assertEquals(List.of(SNAPSHOTTER + ".native", GRPC + ".tasks"), ids("id==native", "id==tasks"));
        assertEquals(List.of(SNAPSHOTTER + ".overlayfs", SNAPSHOTTER + ".native"),
                ids("type~=\"snapshotter\""));
        assertEquals(List.of(), ids("type==io.containerd.runtime.v2"));
        assertCode(Status.Code.INVALID_ARGUMENT, () -> ids("type=="));
    }

    @Test
    void server_answersTheUuidGiven() {
        assertEquals(UUID, stub.server(Empty.getDefaultInstance()).getUuid());
        assertEquals(UUID, grpc.inNamespace(IntrospectionGrpc.newBlockingStub(grpc.channel()), "default")
                .server(Empty.getDefaultInstance()).getUuid());
    }
}
