package dev.berth.manager.dockerapi;

import com.google.protobuf.Timestamp;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** docker's time query values ({@code since}, {@code until}): unix seconds with an optional fraction, or RFC 3339. */
final class Times {

    private Times() {
    }

    /** The time, or empty for absent and docker's "0" (unset); 400 naming the parameter when unreadable. */
    static Optional<Timestamp> parse(String name, Optional<String> value) {
        if (value.isEmpty() || value.get().isEmpty() || value.get().equals("0")) {
            return Optional.empty();
        }
        String v = value.get();
        try {
            BigDecimal seconds = new BigDecimal(v);
            long s = seconds.longValue();
            int nanos = seconds.subtract(BigDecimal.valueOf(s)).movePointRight(9).intValue();
            return Optional.of(Timestamp.newBuilder().setSeconds(s).setNanos(nanos).build());
        } catch (NumberFormatException e) {
            try {
                Instant i = Instant.parse(v);
                return Optional.of(Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano())
                        .build());
            } catch (DateTimeParseException e2) {
                throw ApiException.badRequest("invalid value for " + name + ": " + v);
            }
        }
    }

    static Instant instant(Timestamp t) {
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }
}
