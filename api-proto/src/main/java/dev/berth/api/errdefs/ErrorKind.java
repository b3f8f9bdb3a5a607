package dev.berth.api.errdefs;

/**
 * The kinds of error Berth's code throws, and the one mapping between them and status codes, in both directions.
 *
 * <p>Modelled on containerd's errdefs ({@code errors.go}) and its gRPC conversion ({@code ToGRPC}, {@code FromGRPC}):
 * a service adapter, a ttrpc server or a gRPC server sends {@link #code()}, and a client turns a received code back
 * into a kind with {@link #of(Code)}.
 */
public enum ErrorKind {
    UNKNOWN(Code.UNKNOWN),
    INVALID_ARGUMENT(Code.INVALID_ARGUMENT),
    NOT_FOUND(Code.NOT_FOUND),
    ALREADY_EXISTS(Code.ALREADY_EXISTS),
    FAILED_PRECONDITION(Code.FAILED_PRECONDITION),
    UNAVAILABLE(Code.UNAVAILABLE),
    UNIMPLEMENTED(Code.UNIMPLEMENTED),
    INTERNAL(Code.INTERNAL),
    DEADLINE_EXCEEDED(Code.DEADLINE_EXCEEDED),
    CANCELLED(Code.CANCELLED),
    RESOURCE_EXHAUSTED(Code.RESOURCE_EXHAUSTED),
    /** The credentials were refused (a registry login). */
    UNAUTHENTICATED(Code.UNAUTHENTICATED);

    private final Code code;

    ErrorKind(Code code) {
        this.code = code;
    }

    /** The status code this kind travels as. */
    public Code code() {
        return code;
    }

    /** The kind a received status code stands for; codes Berth gives no kind of their own are UNKNOWN. */
    public static ErrorKind of(Code code) {
        for (ErrorKind kind : values()) {
            if (kind.code == code) {
                return kind;
            }
        }
        return UNKNOWN;
    }
}
