package dev.berth.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Defensive copies that keep {@code null} (absent) and the order docker's JSON had. */
final class Copies {
    private Copies() {
    }

    static <T> List<T> list(List<T> l) {
        return l == null ? null : List.copyOf(l);
    }

    static <K, V> Map<K, V> map(Map<K, V> m) {
        return m == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }

    /** docker's sets written as maps to empty objects: the keys matter, the values are {@code {}}. */
    static Map<String, Map<String, Object>> setMap(Map<String, Map<String, Object>> m) {
        if (m == null) {
            return null;
        }
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        m.keySet().forEach(k -> out.put(k, Map.of()));
        return Collections.unmodifiableMap(out);
    }
}
