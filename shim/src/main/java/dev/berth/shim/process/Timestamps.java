package dev.berth.shim.process;

import com.google.protobuf.Timestamp;
import java.time.Instant;

/** Conversion of instants to protobuf timestamps. */
public final class Timestamps {
    private Timestamps() {}

    public static Timestamp of(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }
}
