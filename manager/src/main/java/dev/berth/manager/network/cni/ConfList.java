package dev.berth.manager.network.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.errdefs.BerthException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A CNI network configuration list (spec 1.0 "network configuration list"): {@code cniVersion}, {@code name} and
 * the {@code plugins} in chain order, kept with the exact bytes it was read from (the cache stores those).
 */
public record ConfList(String cniVersion, String name, List<ObjectNode> plugins, byte[] bytes) {

    static final ObjectMapper JSON = new ObjectMapper();

    public ConfList {
        plugins = List.copyOf(plugins);
        bytes = bytes.clone();
    }

    /** Parses a conflist; INVALID_ARGUMENT naming what is missing. */
    public static ConfList parse(byte[] bytes) {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (IOException e) {
            throw BerthException.invalidArgument("parse cni network configuration list: " + e.getMessage());
        }
        if (root == null || !root.isObject() || !root.path("name").isTextual()
                || !root.path("cniVersion").isTextual() || !root.path("plugins").isArray()
                || root.path("plugins").isEmpty()) {
            throw BerthException.invalidArgument("parse cni network configuration list: name, cniVersion and "
                    + "plugins are required");
        }
        List<ObjectNode> plugins = new ArrayList<>();
        for (JsonNode p : root.path("plugins")) {
            if (!p.isObject() || !p.path("type").isTextual()) {
                throw BerthException.invalidArgument("parse cni network configuration list "
                        + root.path("name").asText() + ": a plugin without a type");
            }
            plugins.add((ObjectNode) p);
        }
        return new ConfList(root.path("cniVersion").asText(), root.path("name").asText(), plugins, bytes);
    }
}
