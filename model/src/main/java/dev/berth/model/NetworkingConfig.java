package dev.berth.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * docker's {@code NetworkingConfig} of a container create: per network (name or id), the endpoint asked for
 * ({@code Aliases}, {@code IPAMConfig.IPv4Address}).
 */
public record NetworkingConfig(@JsonProperty("EndpointsConfig") Map<String, EndpointSettings> endpointsConfig) {
    public static final NetworkingConfig EMPTY = new NetworkingConfig(Map.of());

    public NetworkingConfig {
        endpointsConfig = Copies.map(endpointsConfig);
    }
}
