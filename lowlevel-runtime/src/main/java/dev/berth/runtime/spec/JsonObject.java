package dev.berth.runtime.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Typed, path-aware read access to a parsed JSON object: every type error names the field's path
 * ({@code process.user.uid: expected a number}). Absent fields and JSON nulls read as absent.
 */
public final class JsonObject {
    private final Map<String, Object> map;
    private final String path;

    public JsonObject(Map<String, Object> map, String path) {
        this.map = map;
        this.path = path;
    }

    public static JsonObject parse(String text) {
        return new JsonObject(Json.parseObject(text), "");
    }

    public boolean has(String key) {
        return map.get(key) != null;
    }

    public Map<String, Object> raw() {
        return map;
    }

    private String where(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private JsonException wrong(String key, String expected) {
        return new JsonException(where(key) + ": expected " + expected);
    }

    public String string(String key) {
        Object v = map.get(key);
        if (v == null) {
            throw new JsonException(where(key) + ": required");
        }
        if (!(v instanceof String s)) {
            throw wrong(key, "a string");
        }
        return s;
    }

    public String optString(String key, String dflt) {
        Object v = map.get(key);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof String s)) {
            throw wrong(key, "a string");
        }
        return s;
    }

    public boolean optBool(String key, boolean dflt) {
        Object v = map.get(key);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Boolean b)) {
            throw wrong(key, "true or false");
        }
        return b;
    }

    public long number(String key) {
        Long v = optLong(key);
        if (v == null) {
            throw new JsonException(where(key) + ": required");
        }
        return v;
    }

    /** A JSON number that must be integral, or null when absent. */
    public Long optLong(String key) {
        Object v = map.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Double d && d == Math.rint(d)) {
            return d.longValue();
        }
        throw wrong(key, "an integer");
    }

    public Double optDouble(String key) {
        Object v = map.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw wrong(key, "a number");
    }

    @SuppressWarnings("unchecked")
    public JsonObject optObject(String key) {
        Object v = map.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Map)) {
            throw wrong(key, "an object");
        }
        return new JsonObject((Map<String, Object>) v, where(key));
    }

    public JsonObject object(String key) {
        JsonObject o = optObject(key);
        if (o == null) {
            throw new JsonException(where(key) + ": required");
        }
        return o;
    }

    private List<?> list(String key) {
        Object v = map.get(key);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> l)) {
            throw wrong(key, "an array");
        }
        return l;
    }

    /** An array of strings; empty when absent. */
    public List<String> strings(String key) {
        List<String> out = new ArrayList<>();
        for (Object o : list(key)) {
            if (!(o instanceof String s)) {
                throw wrong(key, "an array of strings");
            }
            out.add(s);
        }
        return List.copyOf(out);
    }

    /** An array of strings, or null when absent (where absence and emptiness differ). */
    public List<String> optStrings(String key) {
        return has(key) ? strings(key) : null;
    }

    /** An array of integers; empty when absent. */
    public List<Long> longs(String key) {
        List<Long> out = new ArrayList<>();
        for (Object o : list(key)) {
            if (!(o instanceof Long l)) {
                throw wrong(key, "an array of integers");
            }
            out.add(l);
        }
        return List.copyOf(out);
    }

    /** An array of objects, each converted; empty when absent. */
    @SuppressWarnings("unchecked")
    public <T> List<T> objects(String key, Function<JsonObject, T> convert) {
        List<T> out = new ArrayList<>();
        int i = 0;
        for (Object o : list(key)) {
            if (!(o instanceof Map)) {
                throw wrong(key, "an array of objects");
            }
            out.add(convert.apply(new JsonObject((Map<String, Object>) o, where(key) + "[" + i + "]")));
            i++;
        }
        return List.copyOf(out);
    }

    /** An object whose values are all strings; empty when absent. */
    public Map<String, String> stringMap(String key) {
        JsonObject o = optObject(key);
        if (o == null) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : o.map.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw new JsonException(o.where(e.getKey()) + ": expected a string");
            }
            out.put(e.getKey(), s);
        }
        return java.util.Collections.unmodifiableMap(out);
    }
}
