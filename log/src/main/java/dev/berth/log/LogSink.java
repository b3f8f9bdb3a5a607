package dev.berth.log;

import java.io.PrintStream;

/**
 * Where a program's log records go and from which level on. A program's main builds one from its flags and config
 * and installs it with {@link Log#configure}; a test builds its own and logs through {@link Log#to}.
 */
public record LogSink(Level threshold, PrintStream out) {

    /** A sink writing to standard error, where berthd's, the shim's and containerd's own records go. */
    public static LogSink stderr(Level threshold) {
        return new LogSink(threshold, System.err);
    }

    boolean enabled(Level level) {
        return level.compareTo(threshold) >= 0;
    }

    void write(CharSequence line) {
        synchronized (out) {
            out.println(line);
        }
    }
}
