package dev.berth.manager.build.dockerfile;

import java.util.Objects;

/** One {@code key=value} of {@code ENV} or {@code LABEL}, as written until expanded. */
public record KeyValue(String key, String value) {
    public KeyValue {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }
}
