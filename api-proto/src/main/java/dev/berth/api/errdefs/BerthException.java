package dev.berth.api.errdefs;

import java.util.Objects;

/**
 * An error with a kind and a message that names the operation and the object ({@code open /run/x/config.json: no
 * such file}), lowercase and without a final period.
 */
public class BerthException extends RuntimeException {
    private final ErrorKind kind;

    public BerthException(ErrorKind kind, String message) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public BerthException(ErrorKind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public final ErrorKind kind() {
        return kind;
    }

    public static BerthException notFound(String message) {
        return new BerthException(ErrorKind.NOT_FOUND, message);
    }

    public static BerthException alreadyExists(String message) {
        return new BerthException(ErrorKind.ALREADY_EXISTS, message);
    }

    public static BerthException invalidArgument(String message) {
        return new BerthException(ErrorKind.INVALID_ARGUMENT, message);
    }

    public static BerthException failedPrecondition(String message) {
        return new BerthException(ErrorKind.FAILED_PRECONDITION, message);
    }

    public static BerthException unavailable(String message) {
        return new BerthException(ErrorKind.UNAVAILABLE, message);
    }

    public static BerthException internal(String message) {
        return new BerthException(ErrorKind.INTERNAL, message);
    }

    public static BerthException unimplemented(String message) {
        return new BerthException(ErrorKind.UNIMPLEMENTED, message);
    }

    @Override
    public String toString() {
        return kind + ": " + getMessage();
    }
}
