package dev.berth.manager.network;

import dev.berth.model.EndpointSettings;
import dev.berth.model.PortBinding;
import java.util.List;
import java.util.Map;

/**
 * What a container asks of networking: docker's {@code HostConfig.NetworkMode} ({@code bridge} when empty or
 * {@code default}, {@code host}, {@code none} or a network's name or id; {@code container:ID} is the engine's to
 * resolve), {@code NetworkingConfig.EndpointsConfig} (aliases and {@code --ip} per network; networks named here
 * besides the mode's are connected too) and {@code HostConfig.PortBindings} ({@code "80/tcp"} → bindings; a
 * {@code HostPort} of "" gets a free port).
 */
public record SandboxRequest(String networkMode, Map<String, EndpointSettings> endpoints,
                             Map<String, List<PortBinding>> portBindings) {
    public SandboxRequest {
        endpoints = endpoints == null ? Map.of() : Map.copyOf(endpoints);
        portBindings = portBindings == null ? Map.of() : Map.copyOf(portBindings);
    }
}
