package dev.berth.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A host side of a published port: {@code HostIp} ("" for all addresses), {@code HostPort} ("" for any free one). */
public record PortBinding(@JsonProperty("HostIp") String hostIp, @JsonProperty("HostPort") String hostPort) {
}
