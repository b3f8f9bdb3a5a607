package dev.berth.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One container on a network as the network's document lists it (docker's EndpointResource): {@code IPv4Address}
 * in CIDR form ({@code 172.18.0.2/16}).
 */
public record NetworkEndpoint(@JsonProperty("Name") String name,
                              @JsonProperty("EndpointID") String endpointId,
                              @JsonProperty("MacAddress") String macAddress,
                              @JsonProperty("IPv4Address") String ipv4Address,
                              @JsonProperty("IPv6Address") String ipv6Address) {
}
