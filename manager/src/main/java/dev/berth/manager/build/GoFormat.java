package dev.berth.manager.build;

import java.time.Duration;

/**
 * Go's {@code fmt} formatting of the values docker prints into {@code created_by} strings: {@code %q} of a string
 * ({@code strconv.Quote}) and of an int ({@code strconv.QuoteRune}: docker's HEALTHCHECK prints its retries so),
 * and {@code time.Duration}'s {@code String()}.
 */
final class GoFormat {
    private GoFormat() {
    }

    /** {@code %q} of a string: double quotes, Go's escapes, printable characters as they are. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        s.codePoints().forEach(c -> escape(b, c, '"'));
        return b.append('"').toString();
    }

    /** {@code %q} of an int: the character it is, single-quoted ({@code '\x03'}, {@code '\n'}, {@code 'A'}). */
    static String quoteRune(int value) {
        int c = value < 0 || value > Character.MAX_CODE_POINT || (value >= 0xd800 && value <= 0xdfff) ? 0xfffd
                : value;
        StringBuilder b = new StringBuilder("'");
        escape(b, c, '\'');
        return b.append('\'').toString();
    }

    private static void escape(StringBuilder b, int c, char quote) {
        if (c == quote || c == '\\') {
            b.append('\\').appendCodePoint(c);
            return;
        }
        if (printable(c)) {
            b.appendCodePoint(c);
            return;
        }
        switch (c) {
            case 0x07 -> b.append("\\a");
            case '\b' -> b.append("\\b");
            case '\f' -> b.append("\\f");
            case '\n' -> b.append("\\n");
            case '\r' -> b.append("\\r");
            case '\t' -> b.append("\\t");
            case 0x0b -> b.append("\\v");
            default -> {
                if (c < ' ' || c == 0x7f) {
                    b.append(String.format("\\x%02x", c));
                } else if (c < 0x10000) {
                    b.append(String.format("\\u%04x", c));
                } else {
                    b.append(String.format("\\U%08x", c));
                }
            }
        }
    }

    /** Go's {@code unicode.IsPrint}: letters, marks, numbers, punctuation, symbols and the ASCII space. */
    private static boolean printable(int c) {
        if (c == ' ') {
            return true;
        }
        return switch (Character.getType(c)) {
            case Character.UNASSIGNED, Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE,
                 Character.SURROGATE, Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR,
                 Character.PARAGRAPH_SEPARATOR -> false;
            default -> true;
        };
    }

    /** {@code time.Duration.String()}: {@code 0s}, {@code 1.5s}, {@code 1m30s}, {@code 2h0m0s}, {@code 500ms}. */
    static String duration(Duration d) {
        long n = d.toNanos();
        String sign = n < 0 ? "-" : "";
        n = Math.abs(n);
        if (n == 0) {
            return "0s";
        }
        if (n < 1_000) {
            return sign + n + "ns";
        }
        if (n < 1_000_000) {
            return sign + n / 1_000 + fraction(n % 1_000, 3) + "µs";
        }
        if (n < 1_000_000_000) {
            return sign + n / 1_000_000 + fraction(n % 1_000_000, 6) + "ms";
        }
        long seconds = n / 1_000_000_000;
        String out = seconds % 60 + fraction(n % 1_000_000_000, 9) + "s";
        long minutes = seconds / 60;
        if (minutes > 0) {
            out = minutes % 60 + "m" + out;
            long hours = minutes / 60;
            if (hours > 0) {
                out = hours + "h" + out;
            }
        }
        return sign + out;
    }

    /** The digits after the point of {@code rest} (of {@code digits} places), trailing zeros and all-zero dropped. */
    private static String fraction(long rest, int digits) {
        if (rest == 0) {
            return "";
        }
        String s = String.format("%0" + digits + "d", rest).replaceFirst("0+$", "");
        return "." + s;
    }
}
