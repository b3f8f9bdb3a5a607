package dev.berth.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * A container's endpoint on one network (docker's EndpointSettings, in {@code NetworkSettings.Networks} and in
 * {@code POST /networks/{id}/connect}): the requested {@code IPAMConfig} and {@code Aliases}, and what the
 * attachment got ({@code IPAddress}, {@code IPPrefixLen}, {@code Gateway}, {@code MacAddress}, the ids).
 */
public record EndpointSettings(@JsonProperty("IPAMConfig") IpamRequest ipamConfig,
                               @JsonProperty("Links") List<String> links,
                               @JsonProperty("Aliases") List<String> aliases,
                               @JsonProperty("NetworkID") String networkId,
                               @JsonProperty("EndpointID") String endpointId,
                               @JsonProperty("Gateway") String gateway,
                               @JsonProperty("IPAddress") String ipAddress,
                               @JsonProperty("IPPrefixLen") Integer ipPrefixLen,
                               @JsonProperty("IPv6Gateway") String ipv6Gateway,
                               @JsonProperty("GlobalIPv6Address") String globalIpv6Address,
                               @JsonProperty("GlobalIPv6PrefixLen") Integer globalIpv6PrefixLen,
                               @JsonProperty("MacAddress") String macAddress,
                               @JsonProperty("DriverOpts") Map<String, String> driverOpts) {
    public EndpointSettings {
        links = Copies.list(links);
        aliases = Copies.list(aliases);
        driverOpts = Copies.map(driverOpts);
    }

    /** A request: the aliases and, if not null, the static address ({@code --ip}). */
    public static EndpointSettings request(List<String> aliases, String ipv4Address) {
        return new EndpointSettings(ipv4Address == null ? null : new IpamRequest(ipv4Address, null, null), null,
                aliases, null, null, null, null, null, null, null, null, null, null);
    }

    /** The static addresses asked for with {@code --ip}/{@code --ip6}. */
    public record IpamRequest(@JsonProperty("IPv4Address") String ipv4Address,
                              @JsonProperty("IPv6Address") String ipv6Address,
                              @JsonProperty("LinkLocalIPs") List<String> linkLocalIps) {
        public IpamRequest {
            linkLocalIps = Copies.list(linkLocalIps);
        }
    }
}
