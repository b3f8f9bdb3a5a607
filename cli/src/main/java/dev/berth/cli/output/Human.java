package dev.berth.cli.output;

import java.time.Duration;
import java.time.Instant;

/** docker's human-readable times and sizes: "5 seconds ago", "About a minute", "4.2MB". */
public final class Human {
    private Human() {
    }

    /** docker's {@code units.HumanDuration}. */
    public static String duration(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 1) {
            return "Less than a second";
        }
        if (s == 1) {
            return "1 second";
        }
        if (s < 60) {
            return s + " seconds";
        }
        long m = d.toMinutes();
        if (m == 1) {
            return "About a minute";
        }
        if (m < 60) {
            return m + " minutes";
        }
        long h = Math.round(d.toMinutes() / 60.0);
        if (h == 1) {
            return "About an hour";
        }
        if (h < 48) {
            return h + " hours";
        }
        if (h < 24 * 7 * 2) {
            return h / 24 + " days";
        }
        if (h < 24 * 30 * 2) {
            return h / 24 / 7 + " weeks";
        }
        if (h < 24 * 365 * 2) {
            return h / 24 / 30 + " months";
        }
        return h / 24 / 365 + " years";
    }

    public static String ago(Instant then) {
        return ago(then, Instant.now());
    }

    public static String ago(Instant then, Instant now) {
        return duration(Duration.between(then, now)) + " ago";
    }

    /** docker's {@code units.BytesSize}: binary units ({@code 1.5MiB}), up to four significant digits. */
    public static String binarySize(double bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int i = 0;
        while (v >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString()
                + units[i];
    }

    /** docker's {@code units.HumanSize}: decimal units, up to four significant digits. */
    public static String size(long bytes) {
        String[] units = {"B", "kB", "MB", "GB", "TB"};
        double v = bytes;
        int i = 0;
        while (v >= 1000 && i < units.length - 1) {
            v /= 1000;
            i++;
        }
        String n = new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros()
                .toPlainString();
        return n + units[i];
    }
}
