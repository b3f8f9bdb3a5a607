package dev.berth.manager.task;

import java.util.Objects;

/**
 * Where a process's standard streams go, as the shim opens them: FIFO or file paths, or URIs such as {@code
 * binary:///path?args} and {@code file:///path}; an empty string leaves a stream unconnected.
 *
 * @param terminal whether the process gets a pseudo-terminal (its output then arrives on {@code stdout} alone)
 */
public record Stdio(String stdin, String stdout, String stderr, boolean terminal) {
    /** No stream connected and no terminal. */
    public static final Stdio NONE = new Stdio("", "", "", false);

    public Stdio {
        Objects.requireNonNull(stdin, "stdin");
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
    }
}
