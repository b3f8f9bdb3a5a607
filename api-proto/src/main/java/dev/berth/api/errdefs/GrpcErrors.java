package dev.berth.api.errdefs;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * The one mapping between Berth errors and gRPC statuses, in both directions (containerd: errgrpc {@code ToGRPC} and
 * {@code ToNative}).
 *
 * <p>Only the kind and the message cross the wire; a stack trace never does. The original throwable is kept as the
 * status's cause, which grpc-java keeps on the server side for logging and does not send.
 */
public final class GrpcErrors {
    private GrpcErrors() {}

    /**
     * The status a service sends for {@code t}: a {@link BerthException} travels as the code of its kind, an
     * {@link IllegalArgumentException} as INVALID_ARGUMENT, a status exception as it is, anything else as INTERNAL.
     */
    public static StatusRuntimeException toStatusException(Throwable t) {
        if (t instanceof StatusRuntimeException e) {
            return e;
        }
        Status status;
        if (t instanceof BerthException e) {
            status = Status.fromCodeValue(e.kind().code().value());
        } else if (t instanceof IllegalArgumentException) {
            status = Status.INVALID_ARGUMENT;
        } else {
            status = Status.INTERNAL;
        }
        return status.withDescription(messageOf(t)).withCause(t).asRuntimeException();
    }

    /** The kind a received status stands for; codes Berth gives no kind of their own are UNKNOWN. */
    public static ErrorKind kindOf(StatusRuntimeException e) {
        return ErrorKind.of(Code.forValue(e.getStatus().getCode().value()));
    }

    /** A received status as a Berth error with the same kind and message, the status exception as its cause. */
    public static BerthException fromStatus(StatusRuntimeException e) {
        String description = e.getStatus().getDescription();
        String message = description != null ? description : e.getStatus().getCode().name().toLowerCase();
        return new BerthException(kindOf(e), message, e);
    }

    private static String messageOf(Throwable t) {
        String message = t.getMessage();
        return message != null ? message : t.getClass().getSimpleName();
    }
}
