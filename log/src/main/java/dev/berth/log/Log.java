package dev.berth.log;

import java.time.Instant;
import java.util.function.Supplier;

/**
 * A structured logger: one logfmt line per record ({@code time=… level=info msg="task started" namespace=default
 * id=web logger=Tasks}), fields given as key/value pairs, so that logs are searched by container id, namespace or
 * digest rather than parsed from prose.
 *
 * <p>Classes hold {@code private static final Log LOG = Log.of(Owner.class)}; such a logger writes to the process's
 * sink, which the program's main sets once from its flags and config ({@link #configure}: berthd's
 * {@code --log-level}, the shim's {@code -debug}) and which is standard error at info until then. It is read on every
 * record, so loggers created before main configured the sink follow it too. Tests use {@link #to} with a sink of
 * their own and leave the process's alone.
 */
public final class Log {

    private static volatile LogSink processSink = LogSink.stderr(Level.INFO);

    private final String logger;
    private final Supplier<LogSink> sink;

    private Log(String logger, Supplier<LogSink> sink) {
        this.logger = logger;
        this.sink = sink;
    }

    /** A logger named after {@code owner}, writing to the process's sink. */
    public static Log of(Class<?> owner) {
        return new Log(owner.getSimpleName(), () -> processSink);
    }

    /** A logger named after {@code owner}, writing to {@code sink} whatever the process's is. */
    public static Log to(Class<?> owner, LogSink sink) {
        return new Log(owner.getSimpleName(), () -> sink);
    }

    /** Installs the process's sink. Called by a program's main only, once it has read its flags and config. */
    public static void configure(LogSink sink) {
        processSink = sink;
    }

    public boolean enabled(Level level) {
        return sink.get().enabled(level);
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
        LogSink to = sink.get();
        if (!to.enabled(level)) {
            return;
        }
        StringBuilder line = new StringBuilder(128)
                .append("time=").append(Instant.now())
                .append(" level=").append(level.fieldValue())
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
        to.write(line);
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
