package dev.berth.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * docker's network document (NetworkResource, {@code GET /networks/{id}}): {@code Id} 64 hex digits, {@code Created}
 * an RFC 3339 time, {@code Scope} "local", {@code Driver} "bridge", "host" or "null"; {@code Options} are echoed as
 * they were given; {@code Containers} holds the attached containers' endpoints by container id.
 */
public record Network(@JsonProperty("Name") String name,
                      @JsonProperty("Id") String id,
                      @JsonProperty("Created") String created,
                      @JsonProperty("Scope") String scope,
                      @JsonProperty("Driver") String driver,
                      @JsonProperty("EnableIPv6") Boolean enableIpv6,
                      @JsonProperty("IPAM") Ipam ipam,
                      @JsonProperty("Internal") Boolean internal,
                      @JsonProperty("Attachable") Boolean attachable,
                      @JsonProperty("Ingress") Boolean ingress,
                      @JsonProperty("Containers") Map<String, NetworkEndpoint> containers,
                      @JsonProperty("Options") Map<String, String> options,
                      @JsonProperty("Labels") Map<String, String> labels) {
    public Network {
        containers = Copies.map(containers);
        options = Copies.map(options);
        labels = Copies.map(labels);
    }

    /** This document with {@code containers} as its endpoints. */
    public Network withContainers(Map<String, NetworkEndpoint> endpoints) {
        return new Network(name, id, created, scope, driver, enableIpv6, ipam, internal, attachable, ingress,
                endpoints, options, labels);
    }

    /** docker's IPAM block: {@code Driver} "default", its {@code Options} and one {@code Config} per subnet. */
    public record Ipam(@JsonProperty("Driver") String driver,
                       @JsonProperty("Options") Map<String, String> options,
                       @JsonProperty("Config") java.util.List<IpamConfig> config) {
        public Ipam {
            options = Copies.map(options);
            config = Copies.list(config);
        }
    }

    /** One subnet of a network: {@code Subnet} and {@code IPRange} in CIDR form, {@code Gateway} an address. */
    public record IpamConfig(@JsonProperty("Subnet") String subnet,
                             @JsonProperty("IPRange") String ipRange,
                             @JsonProperty("Gateway") String gateway,
                             @JsonProperty("AuxiliaryAddresses") Map<String, String> auxiliaryAddresses) {
        public IpamConfig {
            auxiliaryAddresses = Copies.map(auxiliaryAddresses);
        }
    }
}
