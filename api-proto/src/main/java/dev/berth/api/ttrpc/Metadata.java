package dev.berth.api.ttrpc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The metadata of a ttrpc call: lowercase keys, each with one or more values, sent as {@code Request.metadata}. */
public final class Metadata {
    /** The key under which containerd sends the namespace of a call to a shim. */
    public static final String CONTAINERD_NAMESPACE = "containerd-namespace-ttrpc";

    private static final Metadata EMPTY = new Metadata(Map.of());

    private final Map<String, List<String>> values;

    private Metadata(Map<String, List<String>> values) {
        this.values = values;
    }

    public static Metadata empty() {
        return EMPTY;
    }

    public static Metadata of(String key, String value) {
        return empty().with(key, value);
    }

    /** Metadata naming a containerd namespace, as containerd sends it with every call to a shim. */
    public static Metadata namespace(String namespace) {
        return of(CONTAINERD_NAMESPACE, namespace);
    }

    /** A copy with {@code value} appended to the values of {@code key}. */
    public Metadata with(String key, String value) {
        Map<String, List<String>> copy = new LinkedHashMap<>(values);
        List<String> list = new ArrayList<>(copy.getOrDefault(normalize(key), List.of()));
        list.add(value);
        copy.put(normalize(key), List.copyOf(list));
        return new Metadata(Collections.unmodifiableMap(copy));
    }

    /** The values of a key, in the order they were sent; empty if there are none. */
    public List<String> get(String key) {
        return values.getOrDefault(normalize(key), List.of());
    }

    /** The first value of a key, as Go's {@code ttrpc.GetMetadataValue} reads it. */
    public Optional<String> first(String key) {
        return get(key).stream().findFirst();
    }

    public Map<String, List<String>> asMap() {
        return values;
    }

    List<KeyValue> toKeyValues() {
        List<KeyValue> list = new ArrayList<>();
        values.forEach((key, vs) -> vs.forEach(v -> list.add(KeyValue.newBuilder().setKey(key).setValue(v).build())));
        return list;
    }

    static Metadata fromKeyValues(List<KeyValue> keyValues) {
        Metadata metadata = EMPTY;
        for (KeyValue kv : keyValues) {
            metadata = metadata.with(kv.getKey(), kv.getValue());
        }
        return metadata;
    }

    private static String normalize(String key) {
        return key.toLowerCase(Locale.ROOT);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Metadata other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
