package dev.berth.manager.engine.volume;

import dev.berth.api.errdefs.BerthException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * docker's volume filters: for list {@code name} (a regular expression found in the name, as docker's
 * {@code filters.Match}), {@code label} ({@code key} or {@code key=value}, all must hold), {@code dangling}
 * (true/1: no container uses it; false/0: one does) and {@code driver}; for prune {@code label} and
 * {@code label!} (and {@code all}, which API 1.42 added and 1.41's prune-everything semantics already grant).
 * Several values of one key are alternatives, except for labels, which must all match.
 */
final class VolumeFilter {
    private static final Set<String> LIST_KEYS = Set.of("name", "label", "dangling", "driver");
    private static final Set<String> PRUNE_KEYS = Set.of("label", "label!", "all");

    /** Whether the volume is unused, asked only when a dangling filter needs it. */
    interface Unused {
        boolean get() throws IOException;
    }

    private final Map<String, List<String>> filters;

    private VolumeFilter(Map<String, List<String>> filters, Set<String> keys) {
        this.filters = filters == null ? Map.of() : Map.copyOf(filters);
        for (Map.Entry<String, List<String>> e : this.filters.entrySet()) {
            if (!keys.contains(e.getKey())) {
                throw BerthException.invalidArgument("invalid filter '" + e.getKey() + "'");
            }
            if (e.getKey().equals("dangling") || e.getKey().equals("all")) {
                for (String v : e.getValue()) {
                    bool(e.getKey(), v);
                }
            }
            if (e.getKey().equals("name")) {
                e.getValue().forEach(VolumeFilter::pattern);
            }
        }
    }

    static VolumeFilter forList(Map<String, List<String>> filters) {
        return new VolumeFilter(filters, LIST_KEYS);
    }

    static VolumeFilter forPrune(Map<String, List<String>> filters) {
        return new VolumeFilter(filters, PRUNE_KEYS);
    }

    boolean matches(VolumeRecord v, Unused unused) throws IOException {
        List<String> names = filters.get("name");
        if (names != null && !names.isEmpty() && names.stream().noneMatch(n -> pattern(n).matcher(v.name()).find())) {
            return false;
        }
        List<String> drivers = filters.get("driver");
        if (drivers != null && !drivers.isEmpty() && !drivers.contains(v.driver())) {
            return false;
        }
        Map<String, String> labels = v.labels() == null ? Map.of() : v.labels();
        for (String l : filters.getOrDefault("label", List.of())) {
            if (!hasLabel(labels, l)) {
                return false;
            }
        }
        for (String l : filters.getOrDefault("label!", List.of())) {
            if (hasLabel(labels, l)) {
                return false;
            }
        }
        List<String> dangling = filters.get("dangling");
        if (dangling != null && !dangling.isEmpty()) {
            boolean isUnused = unused.get();
            return dangling.stream().anyMatch(d -> bool("dangling", d) == isUnused);
        }
        return true;
    }

    private static boolean hasLabel(Map<String, String> labels, String filter) {
        int eq = filter.indexOf('=');
        if (eq < 0) {
            return labels.containsKey(filter);
        }
        return filter.substring(eq + 1).equals(labels.get(filter.substring(0, eq)));
    }

    private static boolean bool(String key, String value) {
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw BerthException.invalidArgument("invalid filter '" + key + "=" + value + "'");
        };
    }

    private static Pattern pattern(String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw BerthException.invalidArgument("invalid filter 'name=" + regex + "': " + e.getDescription());
        }
    }
}
