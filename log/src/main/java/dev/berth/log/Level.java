package dev.berth.log;

import java.util.Locale;

/** A record's severity, in increasing order; a sink writes the records at or above its threshold. */
public enum Level {
    DEBUG, INFO, WARN, ERROR;

    /**
     * The level a flag or config value names: {@code debug}, {@code info}, {@code warn} (or {@code warning}) or
     * {@code error}, in any case.
     *
     * @throws IllegalArgumentException for any other name
     */
    public static Level parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "debug" -> DEBUG;
            case "info" -> INFO;
            case "warn", "warning" -> WARN;
            case "error" -> ERROR;
            default -> throw new IllegalArgumentException(
                    "parse log level \"" + name + "\": want debug, info, warn or error");
        };
    }

    /** The name written in a record's {@code level=} field. */
    String fieldValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
