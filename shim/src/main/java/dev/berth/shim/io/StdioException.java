package dev.berth.shim.io;

/** A process's stdio could not be set up: a bad URI, a logger that failed, a console that never came. */
public final class StdioException extends RuntimeException {
    public StdioException(String message) {
        super(message);
    }

    public StdioException(String message, Throwable cause) {
        super(message, cause);
    }
}
