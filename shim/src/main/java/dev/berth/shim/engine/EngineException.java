package dev.berth.shim.engine;

/**
 * A runtime operation failed: a kind for callers that map errors (the task service maps it to a gRPC status) and
 * a lowercase message naming the operation and the container, as {@code start c1: container not running}.
 */
public final class EngineException extends RuntimeException {
    /** The kinds of containerd's errdefs that a runtime can produce. */
    /** UNAVAILABLE: the server is exiting and takes no new task; nothing was done, the caller may go elsewhere. */
    public enum Kind { NOT_FOUND, ALREADY_EXISTS, FAILED_PRECONDITION, INVALID_ARGUMENT, INTERNAL, UNAVAILABLE }

    private final Kind kind;

    public EngineException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public EngineException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** {@code "op id: detail"}, without repeating the prefix when the runtime's detail already starts with it. */
    static String message(String op, String id, String detail) {
        String prefix = op + " " + id + ": ";
        return detail.startsWith(prefix) ? detail : prefix + detail;
    }
}
