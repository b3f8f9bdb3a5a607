package dev.berth.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * docker's {@code POST /networks/create} body: the name, the driver ("bridge" when absent), the IPAM block,
 * {@code Internal}, {@code Attachable}, the driver {@code Options} (Berth reads {@code masquerade} and {@code mtu},
 * and docker's {@code com.docker.network.bridge.enable_ip_masquerade} and {@code com.docker.network.driver.mtu})
 * and {@code Labels}.
 */
public record NetworkCreate(@JsonProperty("Name") String name,
                            @JsonProperty("CheckDuplicate") Boolean checkDuplicate,
                            @JsonProperty("Driver") String driver,
                            @JsonProperty("Internal") Boolean internal,
                            @JsonProperty("Attachable") Boolean attachable,
                            @JsonProperty("Ingress") Boolean ingress,
                            @JsonProperty("IPAM") Network.Ipam ipam,
                            @JsonProperty("EnableIPv6") Boolean enableIpv6,
                            @JsonProperty("Options") Map<String, String> options,
                            @JsonProperty("Labels") Map<String, String> labels) {
    public NetworkCreate {
        options = Copies.map(options);
        labels = Copies.map(labels);
    }

    /** A bridge network named {@code name} with berthd's choice of subnet and no options. */
    public static NetworkCreate bridge(String name) {
        return new NetworkCreate(name, null, "bridge", null, null, null, null, null, null, null);
    }
}
