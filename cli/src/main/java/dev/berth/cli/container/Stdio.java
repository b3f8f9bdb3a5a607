package dev.berth.cli.container;

/**
 * The stdio strings of a task or exec as the shim takes them: FIFO paths, a {@code file://} URI or empty.
 */
public record Stdio(String stdin, String stdout, String stderr, boolean terminal) {

    /** A detached container: stdout and stderr appended to its log, no stdin. */
    public static Stdio logTo(String uri) {
        return new Stdio("", uri, uri, false);
    }

    public static Stdio of(AttachedStdio attached) {
        return new Stdio(attached.stdinPath(), attached.stdoutPath(), attached.stderrPath(), attached.terminal());
    }
}
