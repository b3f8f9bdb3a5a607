package dev.berth.manager.network;

import dev.berth.api.errdefs.BerthException;
import dev.berth.model.Network;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * docker's {@code network ls} filters: {@code name} (substring), {@code id} (prefix), {@code label} (key or
 * key=value), {@code driver}, {@code type} (custom|builtin) and {@code dangling} (true|false). Values of one
 * filter are alternatives; different filters must all match.
 */
record NetworkFilters(Map<String, List<String>> filters) {

    private static final Set<String> KNOWN = Set.of("name", "id", "label", "driver", "type", "dangling", "scope");

    static NetworkFilters of(Map<String, List<String>> filters) {
        for (Map.Entry<String, List<String>> f : filters.entrySet()) {
            if (!KNOWN.contains(f.getKey())) {
                throw BerthException.invalidArgument("invalid filter '" + f.getKey() + "'");
            }
            if (f.getKey().equals("type")) {
                for (String v : f.getValue()) {
                    if (!v.equals("custom") && !v.equals("builtin")) {
                        throw BerthException.invalidArgument("invalid filter: 'type'='" + v + "'");
                    }
                }
            }
            if (f.getKey().equals("dangling")) {
                for (String v : f.getValue()) {
                    if (!Set.of("true", "false", "1", "0").contains(v)) {
                        throw BerthException.invalidArgument("invalid filter 'dangling=" + v + "'");
                    }
                }
            }
        }
        return new NetworkFilters(Map.copyOf(filters));
    }

    boolean matches(Network n, boolean builtin, boolean dangling) {
        return any("name", v -> n.name().contains(v))
                && any("id", v -> n.id().startsWith(v))
                && any("driver", v -> v.equals(n.driver()))
                && any("scope", v -> v.equals(n.scope()))
                && any("type", v -> v.equals(builtin ? "builtin" : "custom"))
                && any("dangling", v -> (v.equals("true") || v.equals("1")) == dangling)
                && all("label", v -> label(n.labels(), v));
    }

    private boolean any(String key, java.util.function.Predicate<String> test) {
        List<String> values = filters.get(key);
        return values == null || values.isEmpty() || values.stream().anyMatch(test);
    }

    private boolean all(String key, java.util.function.Predicate<String> test) {
        List<String> values = filters.get(key);
        return values == null || values.stream().allMatch(test);
    }

    private static boolean label(Map<String, String> labels, String filter) {
        if (labels == null) {
            return false;
        }
        int eq = filter.indexOf('=');
        return eq < 0 ? labels.containsKey(filter) : filter.substring(eq + 1).equals(labels.get(filter.substring(0,
                eq)));
    }
}
