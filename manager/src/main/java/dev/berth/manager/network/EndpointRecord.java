package dev.berth.manager.network;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.model.DockerJson;
import dev.berth.model.EndpointSettings;
import dev.berth.model.NetworkEndpoint;
import dev.berth.model.PortBinding;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * What the store keeps of one container on one network: the container's name, its interface and netns, the
 * endpoint as docker shows it, and the published ports this endpoint carries (the container's first network
 * carries them, as docker publishes through one endpoint).
 */
record EndpointRecord(@JsonProperty("ContainerName") String containerName,
                      @JsonProperty("IfName") String ifName,
                      @JsonProperty("Netns") String netns,
                      @JsonProperty("Endpoint") EndpointSettings endpoint,
                      @JsonProperty("Ports") Map<String, List<PortBinding>> ports) {

    static EndpointRecord read(String json) {
        return DockerJson.read(json.getBytes(StandardCharsets.UTF_8), EndpointRecord.class, "network endpoint");
    }

    String json() {
        return new String(DockerJson.write(this), StandardCharsets.UTF_8);
    }

    NetworkEndpoint networkEndpoint() {
        String address = endpoint.ipAddress() == null || endpoint.ipAddress().isEmpty() ? ""
                : endpoint.ipAddress() + "/" + endpoint.ipPrefixLen();
        return new NetworkEndpoint(containerName, endpoint.endpointId(), endpoint.macAddress(), address, "");
    }
}
