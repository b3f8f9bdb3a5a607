package dev.berth.manager.service.engine;

import dev.berth.api.services.engine.v1.ConnectNetworkRequest;
import dev.berth.api.services.engine.v1.DisconnectNetworkRequest;
import dev.berth.api.services.engine.v1.Empty;
import dev.berth.api.services.engine.v1.JsonDocument;
import dev.berth.api.services.engine.v1.ListNetworksRequest;
import dev.berth.api.services.engine.v1.NetworkRef;
import dev.berth.api.services.engine.v1.NetworksGrpc;
import dev.berth.api.services.engine.v1.PruneRequest;
import dev.berth.api.services.engine.v1.PruneResponse;
import dev.berth.manager.engine.DockerEvents;
import dev.berth.manager.engine.Engine;
import dev.berth.manager.network.Networks;
import dev.berth.manager.service.Calls;
import dev.berth.manager.service.RequestMetadata;
import dev.berth.model.EndpointSettings;
import dev.berth.model.Network;
import dev.berth.model.NetworkCreate;
import io.grpc.stub.StreamObserver;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code berth.services.engine.v1.Networks}: a thin adapter over {@link Networks} (the records) and the {@link
 * Engine} (connect and disconnect of its containers), with docker's network events in the request's namespace.
 */
public final class EngineNetworksService extends NetworksGrpc.NetworksImplBase {
    private final Networks networks;
    private final Engine engine;
    private final DockerEvents events;

    public EngineNetworksService(Networks networks, Engine engine, DockerEvents events) {
        this.networks = networks;
        this.engine = engine;
        this.events = events;
    }

    @Override
    public void create(JsonDocument req, StreamObserver<JsonDocument> response) {
        Calls.unary(response, () -> {
            String ns = RequestMetadata.namespace("create network");
            Network n = networks.create(Json.read(req.getJson().toByteArray(), NetworkCreate.class,
                    "network create"));
            publish(ns, "create", n, Map.of());
            Map<String, String> created = new LinkedHashMap<>();
            created.put("Id", n.id());
            created.put("Warning", "");
            return Json.document(created);
        });
    }

    @Override
    public void inspect(NetworkRef req, StreamObserver<JsonDocument> response) {
        Calls.unary(response, () -> Json.document(networks.inspect(req.getId())));
    }

    @Override
    public void list(ListNetworksRequest req, StreamObserver<JsonDocument> response) {
        Calls.unary(response, () -> Json.document(networks.list(Json.filters(req.getFiltersMap()))));
    }

    @Override
    public void remove(NetworkRef req, StreamObserver<Empty> response) {
        Calls.unary(response, () -> {
            String ns = RequestMetadata.namespace("remove network");
            Network n = networks.inspect(req.getId());
            networks.remove(n.id());
            publish(ns, "destroy", n, Map.of());
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void prune(PruneRequest req, StreamObserver<PruneResponse> response) {
        Calls.unary(response, () -> {
            List<String> deleted = networks.prune(Json.filters(req.getFiltersMap()));
            return PruneResponse.newBuilder().addAllDeleted(deleted).build();
        });
    }

    @Override
    public void connect(ConnectNetworkRequest req, StreamObserver<Empty> response) {
        Calls.unary(response, () -> {
            String ns = RequestMetadata.namespace("connect network");
            EndpointSettings endpoint = req.getEndpointConfig().isEmpty() ? null
                    : Json.read(req.getEndpointConfig().toByteArray(), EndpointSettings.class, "endpoint config");
            Network n = networks.inspect(req.getNetwork());
            String id = engine.resolve(ns, req.getContainer());
            engine.connect(ns, id, n.name(), endpoint);
            publish(ns, "connect", n, Map.of("container", id));
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void disconnect(DisconnectNetworkRequest req, StreamObserver<Empty> response) {
        Calls.unary(response, () -> {
            String ns = RequestMetadata.namespace("disconnect network");
            Network n = networks.inspect(req.getNetwork());
            if (req.getForce()) {
                engine.forceDisconnect(ns, req.getContainer(), n.name());
                publish(ns, "disconnect", n, Map.of("container", req.getContainer()));
                return Empty.getDefaultInstance();
            }
            String id = engine.resolve(ns, req.getContainer());
            engine.disconnect(ns, id, n.name());
            publish(ns, "disconnect", n, Map.of("container", id));
            return Empty.getDefaultInstance();
        });
    }

    private void publish(String namespace, String action, Network n, Map<String, String> extra) {
        Map<String, String> attributes = new LinkedHashMap<>(extra);
        attributes.put("name", n.name());
        attributes.put("type", n.driver());
        events.publish(namespace, "network", action, n.id(), null, attributes);
    }
}
