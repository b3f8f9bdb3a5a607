package dev.berth.manager.metadata;

import java.time.Instant;

/** The database's time encoding: nanoseconds since the epoch in an INTEGER column (good until 2262). */
final class Times {

    private Times() {
    }

    static long toNanos(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }

    static Instant fromNanos(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }
}
