package dev.berth.cli.command;

import dev.berth.cli.client.CliException;
import java.util.Locale;

/** docker's memory sizes: a number with an optional b, k, m or g suffix (binary units). */
final class MemorySize {
    private MemorySize() {
    }

    static long parse(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (v.endsWith("b") && v.length() > 1 && !Character.isDigit(v.charAt(v.length() - 2))) {
            v = v.substring(0, v.length() - 1);
        }
        long unit = switch (v.isEmpty() ? ' ' : v.charAt(v.length() - 1)) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            case 'b' -> 1L;
            default -> 0;
        };
        String number = unit == 0 ? v : v.substring(0, v.length() - 1);
        try {
            return (long) (Double.parseDouble(number) * (unit == 0 ? 1 : unit));
        } catch (NumberFormatException e) {
            throw CliException.failed("invalid size: '" + value + "'");
        }
    }
}
