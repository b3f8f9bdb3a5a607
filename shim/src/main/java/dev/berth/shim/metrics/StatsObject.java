package dev.berth.shim.metrics;

import dev.berth.runtime.spec.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One object of runc's {@code types.Stats} JSON, read as Go writes it: omitempty leaves zero values out, so an
 * absent number is 0 and an absent object is empty; a uint64 above 2^63-1 arrives as a negative long.
 */
final class StatsObject {
    private static final StatsObject EMPTY = new StatsObject(new JsonObject(Map.of(), ""));

    private final JsonObject json;

    StatsObject(JsonObject json) {
        this.json = json;
    }

    static StatsObject parse(String text) {
        return new StatsObject(JsonObject.parse(text));
    }

    long u64(String key) {
        Long v = json.optLong(key);
        return v == null ? 0 : v;
    }

    StatsObject object(String key) {
        JsonObject o = json.optObject(key);
        return o == null ? EMPTY : new StatsObject(o);
    }

    List<Long> longs(String key) {
        return json.longs(key);
    }

    List<StatsObject> objects(String key) {
        return json.objects(key, StatsObject::new);
    }

    String string(String key) {
        return json.optString(key, "");
    }

    /** The object's members that are objects, by key in sorted order (hugetlb page sizes). */
    Map<String, StatsObject> objectsByKey() {
        Map<String, StatsObject> out = new TreeMap<>();
        for (String key : json.raw().keySet()) {
            out.put(key, object(key));
        }
        return out;
    }

    /** The object's members that are numbers, as uint64 (memory.stat's {@code raw}). */
    Map<String, Long> numbers() {
        Map<String, Long> out = new TreeMap<>();
        for (String key : json.raw().keySet()) {
            out.put(key, u64(key));
        }
        return out;
    }
}
