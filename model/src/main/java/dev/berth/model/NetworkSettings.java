package dev.berth.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * docker's {@code NetworkSettings} of a container's inspect document: the published {@code Ports}
 * ({@code "80/tcp"} → host bindings, {@code null} for an exposed port that is not published), the sandbox
 * ({@code SandboxKey} is the netns path), the {@code bridge} network's address in the top-level fields (as docker
 * fills them for the default network) and every network's endpoint in {@code Networks}.
 */
public record NetworkSettings(@JsonProperty("Bridge") String bridge,
                              @JsonProperty("SandboxID") String sandboxId,
                              @JsonProperty("HairpinMode") Boolean hairpinMode,
                              @JsonProperty("LinkLocalIPv6Address") String linkLocalIpv6Address,
                              @JsonProperty("LinkLocalIPv6PrefixLen") Integer linkLocalIpv6PrefixLen,
                              @JsonProperty("Ports") Map<String, List<PortBinding>> ports,
                              @JsonProperty("SandboxKey") String sandboxKey,
                              @JsonProperty("EndpointID") String endpointId,
                              @JsonProperty("Gateway") String gateway,
                              @JsonProperty("GlobalIPv6Address") String globalIpv6Address,
                              @JsonProperty("GlobalIPv6PrefixLen") Integer globalIpv6PrefixLen,
                              @JsonProperty("IPAddress") String ipAddress,
                              @JsonProperty("IPPrefixLen") Integer ipPrefixLen,
                              @JsonProperty("IPv6Gateway") String ipv6Gateway,
                              @JsonProperty("MacAddress") String macAddress,
                              @JsonProperty("Networks") Map<String, EndpointSettings> networks) {
    public NetworkSettings {
        ports = Copies.map(ports);
        networks = Copies.map(networks);
    }
}
