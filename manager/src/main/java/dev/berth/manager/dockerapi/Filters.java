package dev.berth.manager.dockerapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.services.engine.v1.FilterValues;
import dev.berth.model.DockerJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * docker's {@code filters} query parameter: URL-encoded JSON in either shape clients send,
 * {@code {"label":{"a=b":true}}} (docker's CLI) or {@code {"label":["a=b"]}} (older clients, docker-java).
 */
final class Filters {

    private Filters() {
    }

    static Map<String, FilterValues> parse(Optional<String> json) {
        Map<String, FilterValues> out = new LinkedHashMap<>();
        if (json.isEmpty() || json.get().isBlank()) {
            return out;
        }
        JsonNode root;
        try {
            root = DockerJson.mapper().readTree(json.get());
        } catch (IOException e) {
            throw ApiException.badRequest("invalid filter: " + json.get());
        }
        if (root == null || !root.isObject()) {
            throw ApiException.badRequest("invalid filter: " + json.get());
        }
        for (var e : root.properties()) {
            List<String> values = new ArrayList<>();
            JsonNode v = e.getValue();
            if (v.isArray()) {
                v.forEach(x -> values.add(x.asText()));
            } else if (v.isObject()) {
                v.properties().forEach(x -> {
                    if (x.getValue().asBoolean(true)) {
                        values.add(x.getKey());
                    }
                });
            } else {
                throw ApiException.badRequest("invalid filter: " + e.getKey() + ": want a list or a map");
            }
            out.put(e.getKey(), FilterValues.newBuilder().addAllValues(values).build());
        }
        return out;
    }
}
