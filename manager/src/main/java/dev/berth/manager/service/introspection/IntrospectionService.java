package dev.berth.manager.service.introspection;

import com.google.protobuf.Empty;
import dev.berth.api.services.introspection.v1.IntrospectionGrpc;
import dev.berth.api.services.introspection.v1.Plugin;
import dev.berth.api.services.introspection.v1.PluginsRequest;
import dev.berth.api.services.introspection.v1.PluginsResponse;
import dev.berth.api.services.introspection.v1.ServerResponse;
import dev.berth.api.types.Platform;
import dev.berth.manager.filters.Filter;
import dev.berth.manager.service.Calls;
import io.grpc.stub.StreamObserver;
import java.util.List;

/**
 * {@code containerd.services.introspection.v1.Introspection}: the components the composition root built, in
 * containerd's plugin vocabulary (so {@code ctr plugins ls} reads them), and the server's persistent uuid.
 */
public final class IntrospectionService extends IntrospectionGrpc.IntrospectionImplBase {

    private static final Platform LINUX_AMD64 = Platform.newBuilder().setOs("linux").setArchitecture("amd64").build();

    private final List<PluginInfo> plugins;
    private final String uuid;

    public IntrospectionService(List<PluginInfo> plugins, String uuid) {
        this.plugins = List.copyOf(plugins);
        this.uuid = uuid;
    }

    @Override
    public void plugins(PluginsRequest req, StreamObserver<PluginsResponse> response) {
        Calls.unary(response, () -> {
            Filter filter = Filter.parseAll(req.getFiltersList());
            PluginsResponse.Builder out = PluginsResponse.newBuilder();
            for (PluginInfo p : plugins) {
                if (filter.matches(path -> java.util.Optional.ofNullable(switch (path.getFirst()) {
                    case "type" -> p.type();
                    case "id" -> p.id();
                    default -> null;
                }))) {
                    Plugin.Builder b = Plugin.newBuilder().setType(p.type()).setId(p.id())
                            .addAllRequires(p.requires()).putAllExports(p.exports());
                    if (p.type().endsWith(".snapshotter.v1") || p.type().endsWith(".runtime.v2")) {
                        b.addPlatforms(LINUX_AMD64);
                    }
                    out.addPlugins(b);
                }
            }
            return out.build();
        });
    }

    @Override
    public void server(Empty req, StreamObserver<ServerResponse> response) {
        response.onNext(ServerResponse.newBuilder().setUuid(uuid).build());
        response.onCompleted();
    }
}
