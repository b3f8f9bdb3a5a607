package dev.berth.cli.client;

/**
 * A failure the CLI reports in one line on stderr and turns into its exit code: docker's 125 when the daemon or
 * the CLI fails, 126 when the container's command cannot be invoked, 127 when it is not found.
 */
public final class CliException extends RuntimeException {
    public static final int DAEMON = 125;
    public static final int CANNOT_INVOKE = 126;
    public static final int NOT_FOUND = 127;

    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** A failure of the daemon or the CLI (exit code 125). */
    public static CliException failed(String message) {
        return new CliException(DAEMON, message);
    }

    public static CliException noSuchContainer(String ref) {
        return new CliException(DAEMON, "No such container: " + ref);
    }

    public static CliException noSuchImage(String ref) {
        return new CliException(DAEMON, "No such image: " + ref);
    }

    public int exitCode() {
        return exitCode;
    }
}
