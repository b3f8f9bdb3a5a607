package dev.berth.cli.command;

import dev.berth.cli.client.CliException;
import dev.berth.cli.flags.Units;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** docker's {@code --since}/{@code --until} values and its fixed-width RFC 3339 timestamps. */
final class Times {
    /** docker's {@code RFC3339NanoFixed}. */
    static final DateTimeFormatter NANO_FIXED =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSSXXX").withZone(ZoneOffset.UTC);

    private Times() {
    }

    /**
     * A point in time as docker's {@code timetypes.GetTimestamp} reads it: a duration back from now ({@code 10m}),
     * Unix seconds ({@code 1700000000.5}), an RFC 3339 time, or a date.
     */
    static Instant parse(String flag, String value, Instant now) {
        if (value.matches("\\d+(\\.\\d+)?")) {
            String[] parts = value.split("\\.");
            long nanos = parts.length == 2 ? Long.parseLong((parts[1] + "000000000").substring(0, 9)) : 0;
            return Instant.ofEpochSecond(Long.parseLong(parts[0]), nanos);
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            // the other forms follow
        }
        try {
            return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            // the other forms follow
        }
        try {
            return LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            // the last form follows
        }
        try {
            return now.minus(Units.duration(flag, value));
        } catch (CliException e) {
            throw CliException.failed("invalid value for \"" + flag + "\": failed to parse value as time or "
                    + "duration: \"" + value + "\"");
        }
    }
}
