package dev.berth.manager.log;

import java.io.PrintStream;
import java.time.Instant;

/**
 * A structured logger: one logfmt line per record ({@code time=… level=info msg="task started" namespace=default
 * id=web}), fields given as key/value pairs, so that logs are searched by container id, namespace or digest rather
 * than parsed from prose. The threshold is read once from {@code berth.log.level} (debug, info, warn, error).
 */
public final class Log {

    /** Severities in increasing order. */
    public enum Level { DEBUG, INFO, WARN, ERROR }

    private static final Level THRESHOLD = Level.valueOf(
            System.getProperty("berth.log.level", "info").toUpperCase(java.util.Locale.ROOT));

    private final String logger;
    private final PrintStream out;

    /** For tests, which read the lines back; berthd's code uses {@link #of}. */
    Log(String logger, PrintStream out) {
        this.logger = logger;
        this.out = out;
    }

    public static Log of(Class<?> owner) {
        return new Log(owner.getSimpleName(), System.err);
    }

    public boolean enabled(Level level) {
        return level.compareTo(THRESHOLD) >= 0;
    }

    public void debug(String msg, Object... fields) {
        log(Level.DEBUG, msg, null, fields);
    }

    /** Logs at debug with the failure's message as field {@code error}, as {@code warn} does. */
    public void debug(String msg, Throwable error, Object... fields) {
        log(Level.DEBUG, msg, error, fields);
    }

    public void info(String msg, Object... fields) {
        log(Level.INFO, msg, null, fields);
    }

    public void warn(String msg, Object... fields) {
        log(Level.WARN, msg, null, fields);
    }

    /** Logs at warn with the failure's message (its class name if it has none) as field {@code error}. */
    public void warn(String msg, Throwable error, Object... fields) {
        log(Level.WARN, msg, error, fields);
    }

    public void error(String msg, Throwable error, Object... fields) {
        log(Level.ERROR, msg, error, fields);
    }

    private void log(Level level, String msg, Throwable error, Object[] fields) {
        if (!enabled(level)) {
            return;
        }
        StringBuilder line = new StringBuilder(128)
                .append("time=").append(Instant.now())
                .append(" level=").append(level.name().toLowerCase(java.util.Locale.ROOT))
                .append(" msg=").append(quote(msg));
        for (int i = 0; i + 1 < fields.length; i += 2) {
            line.append(' ').append(fields[i]).append('=').append(quote(String.valueOf(fields[i + 1])));
        }
        if (error != null) {
            // a failure without a message (NullPointerException) is still told apart by its class
            String text = error.getMessage() == null ? error.getClass().getName() : error.getMessage();
            line.append(" error=").append(quote(text));
        }
        line.append(" logger=").append(logger);
        synchronized (out) {
            out.println(line);
        }
    }

    /** Quotes a value when it is empty or has spaces, control characters, quotes or '=' (logfmt). */
    static String quote(String v) {
        boolean plain = !v.isEmpty();
        for (int i = 0; i < v.length() && plain; i++) {
            char c = v.charAt(i);
            plain = c > ' ' && c != '"' && c != '=';
        }
        if (plain) {
            return v;
        }
        return '"' + v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r")
                .replace("\t", "\\t") + '"';
    }
}
