package dev.berth.runtime.container;

/**
 * A container operation failed. The message names the operation and the container and keeps runc's phrases
 * that callers match on ({@code "does not exist"}, {@code "container not running"}).
 */
public final class ContainerException extends RuntimeException {
    /** What kind of failure, for callers that map errors (the shim maps them to gRPC codes). */
    public enum Kind { NOT_FOUND, ALREADY_EXISTS, INVALID_ARGUMENT, FAILED_PRECONDITION, INTERNAL }

    private final Kind kind;

    public ContainerException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public ContainerException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
