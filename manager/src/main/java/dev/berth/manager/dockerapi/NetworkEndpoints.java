package dev.berth.manager.dockerapi;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import dev.berth.api.services.engine.v1.ConnectNetworkRequest;
import dev.berth.api.services.engine.v1.DisconnectNetworkRequest;
import dev.berth.api.services.engine.v1.JsonDocument;
import dev.berth.api.services.engine.v1.ListNetworksRequest;
import dev.berth.api.services.engine.v1.NetworkRef;
import dev.berth.api.services.engine.v1.PruneRequest;
import dev.berth.model.DockerJson;
import java.util.Map;
import java.util.Set;

/**
 * {@code /networks…}: create, list, inspect, remove, prune, connect and disconnect over the engine's Networks
 * service, whose documents are docker's JSON already. Removing a built-in network is docker's 403; a network with
 * containers attached is the engine's conflict (409).
 */
final class NetworkEndpoints {

    /** docker's pre-defined networks: they exist always and cannot be removed (403). */
    private static final Set<String> BUILT_IN = Set.of("bridge", "host", "none");

    private final Stubs stubs;

    NetworkEndpoints(Stubs stubs) {
        this.stubs = stubs;
    }

    void addTo(Router r) {
        r.add("GET", "/networks", c -> c.json(200, stubs.networks().list(ListNetworksRequest.newBuilder()
                        .putAllFilters(Filters.parse(c.query("filters"))).build()).getJson().toByteArray()))
                .add("POST", "/networks/create", this::create)
                .add("POST", "/networks/prune", this::prune)
                .add("GET", "/networks/{id}", c -> c.json(200, inspect(c.param("id")).getJson().toByteArray()))
                .add("POST", "/networks/{id}/connect", this::connect)
                .add("POST", "/networks/{id}/disconnect", this::disconnect)
                .add("DELETE", "/networks/{id}", this::remove);
    }

    private JsonDocument inspect(String id) {
        return stubs.networks().inspect(NetworkRef.newBuilder().setId(id).build());
    }

    /** docker's NetworkCreateRequest goes to the engine as it came; the answer is docker's {@code Id, Warning}. */
    private void create(ApiCall c) {
        JsonNode body = c.bodyJson();
        if (!body.isObject()) {
            throw ApiException.badRequest("invalid JSON: want an object");
        }
        if (body.path("Name").asText("").isEmpty()) {
            throw ApiException.badRequest("network name is required");
        }
        c.json(201, stubs.networks().create(JsonDocument.newBuilder()
                .setJson(ByteString.copyFrom(DockerJson.write(body))).build()).getJson().toByteArray());
    }

    private void remove(ApiCall c) {
        String name = DockerJson.read(inspect(c.param("id")).getJson().toByteArray(), Named.class, "network").name();
        if (BUILT_IN.contains(name)) {
            throw new ApiException(403, name + " is a pre-defined network and cannot be removed");
        }
        stubs.networks().remove(NetworkRef.newBuilder().setId(c.param("id")).build());
        c.status(204);
    }

    private void connect(ApiCall c) {
        JsonNode body = c.bodyJson();
        ConnectNetworkRequest.Builder req = ConnectNetworkRequest.newBuilder().setNetwork(c.param("id"))
                .setContainer(container(body));
        JsonNode endpoint = body.path("EndpointConfig");
        if (endpoint.isObject()) {
            req.setEndpointConfig(ByteString.copyFrom(DockerJson.write(endpoint)));
        }
        stubs.networks().connect(req.build());
        c.status(200);
    }

    private void disconnect(ApiCall c) {
        JsonNode body = c.bodyJson();
        stubs.networks().disconnect(DisconnectNetworkRequest.newBuilder().setNetwork(c.param("id"))
                .setContainer(container(body)).setForce(body.path("Force").asBoolean(false)).build());
        c.status(200);
    }

    private static String container(JsonNode body) {
        String container = body.path("Container").asText("");
        if (container.isEmpty()) {
            throw ApiException.badRequest("container is required");
        }
        return container;
    }

    private void prune(ApiCall c) {
        c.json(200, Map.of("NetworksDeleted", stubs.networks().prune(PruneRequest.newBuilder()
                .putAllFilters(Filters.parse(c.query("filters"))).build()).getDeletedList()));
    }

    /** The one field of a network document the adapter reads. */
    private record Named(@JsonProperty("Name") String name) {
    }
}
