package dev.berth.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import dev.berth.api.services.engine.v1.ConnectNetworkRequest;
import dev.berth.api.services.engine.v1.DisconnectNetworkRequest;
import dev.berth.api.services.engine.v1.JsonDocument;
import dev.berth.api.services.engine.v1.ListNetworksRequest;
import dev.berth.api.services.engine.v1.NetworkRef;
import dev.berth.api.services.engine.v1.PruneRequest;
import dev.berth.api.services.engine.v1.PruneResponse;
import dev.berth.model.DockerJson;
import dev.berth.model.EndpointSettings;
import dev.berth.model.NetworkCreate;
import java.util.List;
import java.util.Map;

/**
 * docker's networks (driver {@code bridge}; {@code bridge}, {@code host} and {@code none} always exist): create,
 * inspect, list, remove, prune, and connecting containers of the client's namespace. Networks are berthd-wide.
 */
public final class Networks {
    private final Stubs stubs;

    Networks(Stubs stubs) {
        this.stubs = stubs;
    }

    /** docker's {@code network create}; the new network's id. */
    public String create(NetworkCreate request) {
        JsonDocument req = JsonDocument.newBuilder().setJson(ByteString.copyFrom(DockerJson.write(request))).build();
        return Calls.json(Calls.call(() -> stubs.networks().create(req))).path("Id").asText();
    }

    /** docker's network document (with its {@code Containers}) by name, id or unique id prefix. */
    public JsonNode inspect(String network) {
        return Calls.json(Calls.call(() -> stubs.networks().inspect(ref(network))));
    }

    /** A JSON array of network documents; docker's filters name, id, driver, label, type, dangling, scope. */
    public JsonNode list(Map<String, List<String>> filters) {
        return Calls.json(Calls.call(() -> stubs.networks().list(ListNetworksRequest.newBuilder()
                .putAllFilters(Calls.filters(filters)).build())));
    }

    /** Removes a network; the built-ins and a network with containers attached are refused (FAILED_PRECONDITION). */
    public void remove(String network) {
        Calls.call(() -> stubs.networks().remove(ref(network)));
    }

    /** Removes the user networks no container is attached to; their names. */
    public List<String> prune(Map<String, List<String>> filters) {
        PruneResponse r = Calls.call(() -> stubs.networks().prune(PruneRequest.newBuilder()
                .putAllFilters(Calls.filters(filters)).build()));
        return List.copyOf(r.getDeletedList());
    }

    /**
     * Connects a container: a running one now and at its next starts, a stopped one at its next start;
     * {@code endpoint} (aliases, {@code --ip}) may be null.
     */
    public void connect(String network, String container, EndpointSettings endpoint) {
        ConnectNetworkRequest.Builder req = ConnectNetworkRequest.newBuilder().setNetwork(network)
                .setContainer(container);
        if (endpoint != null) {
            req.setEndpointConfig(ByteString.copyFrom(DockerJson.write(endpoint)));
        }
        Calls.call(() -> stubs.networks().connect(req.build()));
    }

    /** Disconnects a container; {@code force} also drops the endpoint of a container that is gone. */
    public void disconnect(String network, String container, boolean force) {
        Calls.call(() -> stubs.networks().disconnect(DisconnectNetworkRequest.newBuilder().setNetwork(network)
                .setContainer(container).setForce(force).build()));
    }

    private static NetworkRef ref(String network) {
        return NetworkRef.newBuilder().setId(network).build();
    }
}
