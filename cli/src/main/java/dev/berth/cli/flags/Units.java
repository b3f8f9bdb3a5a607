package dev.berth.cli.flags;

import dev.berth.cli.client.CliException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** docker's value syntaxes: sizes ({@code 64m}, binary units) and Go durations ({@code 1m30s}, {@code 500ms}). */
public final class Units {
    private static final Pattern SIZE = Pattern.compile("^(\\d+(?:\\.\\d+)?)\\s*([kmgtp]?)(i?b)?$");
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    private Units() {
    }

    /** docker's {@code RAMInBytes}: a number with an optional b, k, m, g, t or p suffix (binary units). */
    public static long bytes(String flag, String value) {
        Matcher m = SIZE.matcher(value.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw invalid(flag, value, "invalid size: '" + value + "'");
        }
        int shift = switch (m.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            case "p" -> 50;
            default -> 0;
        };
        return (long) (Double.parseDouble(m.group(1)) * (1L << shift));
    }

    /** {@code --memory-swap}: a size, or -1 for unlimited. */
    public static long bytesOrUnlimited(String flag, String value) {
        return value.strip().equals("-1") ? -1 : bytes(flag, value);
    }

    /** A Go duration ({@code time.ParseDuration}): {@code 30s}, {@code 1m30s}, {@code 1.5h}, {@code 0}. */
    public static Duration duration(String flag, String value) {
        String v = value.strip();
        if (v.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = DURATION_PART.matcher(v);
        double nanos = 0;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                throw invalid(flag, value, "time: invalid duration \"" + value + "\"");
            }
            double n = Double.parseDouble(m.group(1));
            nanos += n * switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            end = m.end();
        }
        if (end == 0 || end != v.length()) {
            throw invalid(flag, value, "time: invalid duration \"" + value + "\"");
        }
        return Duration.ofNanos((long) nanos);
    }

    /** docker's wording for a flag's bad value. */
    static CliException invalid(String flag, String value, String why) {
        return CliException.failed("invalid argument \"" + value + "\" for \"" + flag + "\" flag: " + why);
    }
}
