package dev.berth.manager.service;

import com.google.protobuf.FieldMask;
import com.google.protobuf.Timestamp;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

/** Conversions between protobuf's well-known types and the JDK's. */
public final class Protos {

    private Protos() {
    }

    public static Timestamp timestamp(Instant t) {
        return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
    }

    public static Instant instant(Timestamp t) {
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }

    /** The mask's paths; an absent or empty mask means "every mutable field", given as an empty set. */
    public static Set<String> paths(FieldMask mask) {
        return new LinkedHashSet<>(mask.getPathsList());
    }
}
