package dev.berth.manager.dockerapi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /networks…} until berthd has networking: docker's three built-in networks ({@code bridge}, {@code host},
 * {@code none}) listed and inspected, with stable ids; creating, connecting, disconnecting, removing and pruning
 * answer 501.
 */
final class NetworkEndpoints {

    private static final List<String> BUILT_IN = List.of("bridge", "host", "none");

    void addTo(Router r) {
        r.add("GET", "/networks", c -> c.json(200, BUILT_IN.stream().map(NetworkEndpoints::network).toList()))
                .add("GET", "/networks/{id}", c -> c.json(200, find(c.param("id"))))
                .add("POST", "/networks/create", NetworkEndpoints::unsupported)
                .add("POST", "/networks/prune", NetworkEndpoints::unsupported)
                .add("POST", "/networks/{id}/connect", NetworkEndpoints::unsupported)
                .add("POST", "/networks/{id}/disconnect", NetworkEndpoints::unsupported)
                .add("DELETE", "/networks/{id}", c -> {
                    find(c.param("id"));
                    throw new ApiException(403, c.param("id") + " is a pre-defined network and cannot be removed");
                });
    }

    private static void unsupported(ApiCall c) {
        throw ApiException.notImplemented("networks other than the built-in bridge, host and none are not "
                + "available in berthd yet");
    }

    private static Map<String, Object> find(String idOrName) {
        for (String name : BUILT_IN) {
            if (name.equals(idOrName) || (idOrName.length() >= 3 && id(name).startsWith(idOrName))) {
                return network(name);
            }
        }
        throw new ApiException(404, "network " + idOrName + " not found");
    }

    static String id(String name) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(("berth-network:" + name).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("sha-256 is always there", e);
        }
    }

    private static Map<String, Object> network(String name) {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("Name", name);
        n.put("Id", id(name));
        n.put("Created", "2024-01-01T00:00:00Z");
        n.put("Scope", "local");
        n.put("Driver", name.equals("bridge") ? "bridge" : name.equals("host") ? "host" : "null");
        n.put("EnableIPv6", false);
        n.put("IPAM", Map.of("Driver", "default", "Options", Map.of(), "Config", List.of()));
        n.put("Internal", false);
        n.put("Attachable", false);
        n.put("Ingress", false);
        n.put("ConfigFrom", Map.of("Network", ""));
        n.put("ConfigOnly", false);
        n.put("Containers", Map.of());
        n.put("Options", Map.of());
        n.put("Labels", Map.of());
        return n;
    }
}
