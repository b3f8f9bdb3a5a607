package dev.berth.manager.metadata;

import dev.berth.api.errdefs.BerthException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** containerd's label rules: size limit, empty values meaning "unset", and {@code labels.<key>} fieldpaths. */
final class Labels {

    /** containerd {@code labels.maxSize}: key and value together. */
    static final int MAX_SIZE = 4096;
    static final String FIELD = "labels";
    static final String FIELD_PREFIX = "labels.";

    private Labels() {
    }

    static void validate(Map<String, String> labels) {
        for (Map.Entry<String, String> e : labels.entrySet()) {
            if (e.getKey().isEmpty()) {
                throw BerthException.invalidArgument("label key must not be empty");
            }
            if (e.getKey().length() + e.getValue().length() > MAX_SIZE) {
                throw BerthException.invalidArgument("label key and value greater than maximum size (" + MAX_SIZE
                        + " bytes), key: " + e.getKey().substring(0, Math.min(10, e.getKey().length())));
            }
        }
    }

    /** Labels as stored: an empty value unsets the key (containerd writes no empty labels). */
    static Map<String, String> stored(Map<String, String> labels) {
        Map<String, String> out = new HashMap<>();
        labels.forEach((k, v) -> {
            if (!v.isEmpty()) {
                out.put(k, v);
            }
        });
        return Map.copyOf(out);
    }

    /**
     * Applies the {@code labels} / {@code labels.<key>} paths of an update to {@code current}; an empty
     * {@code fieldpaths} replaces all. Any other path is INVALID_ARGUMENT naming {@code what}.
     */
    static Map<String, String> update(Map<String, String> current, Map<String, String> requested,
                                      Set<String> fieldpaths, String what) {
        if (fieldpaths.isEmpty()) {
            return stored(requested);
        }
        Map<String, String> out = new HashMap<>(current);
        for (String path : fieldpaths) {
            if (path.equals(FIELD)) {
                out = new HashMap<>(requested);
            } else if (path.startsWith(FIELD_PREFIX)) {
                String key = path.substring(FIELD_PREFIX.length());
                out.put(key, requested.getOrDefault(key, ""));
            } else {
                throw BerthException.invalidArgument("cannot update \"" + path + "\" field on " + what);
            }
        }
        return stored(out);
    }
}
