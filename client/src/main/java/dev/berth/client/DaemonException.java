package dev.berth.client;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.api.errdefs.GrpcErrors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * berthd refused a call, or could not be reached: the error's {@link #kind()} (NOT_FOUND for no such container,
 * image or volume; ALREADY_EXISTS for a name in use, docker's 409 "Conflict"; FAILED_PRECONDITION for a state that
 * forbids the operation; INVALID_ARGUMENT for bad options) and the daemon's message, docker's wording where docker
 * has one ({@code No such container: web}).
 */
public final class DaemonException extends BerthException {
    private final boolean unreachable;

    DaemonException(ErrorKind kind, String message, boolean unreachable, Throwable cause) {
        super(kind, message, cause);
        this.unreachable = unreachable;
    }

    /** The daemon's answer as a typed error. */
    static DaemonException of(StatusRuntimeException e) {
        return from(e);
    }

    /** A status from a call made on a raw stub ({@link Berth#stub}) as the same typed error. */
    public static DaemonException from(StatusRuntimeException e) {
        String message = e.getStatus().getDescription() != null ? e.getStatus().getDescription()
                : e.getStatus().getCode().name().toLowerCase(java.util.Locale.ROOT);
        return new DaemonException(GrpcErrors.kindOf(e), message, isConnectFailure(e), e);
    }

    /** The call never reached berthd: no socket, or nothing listening on it. */
    public boolean unreachable() {
        return unreachable;
    }

    public boolean notFound() {
        return kind() == ErrorKind.NOT_FOUND;
    }

    /** docker's 409: a name in use, or a state that forbids the operation. */
    public boolean conflict() {
        return kind() == ErrorKind.ALREADY_EXISTS || kind() == ErrorKind.FAILED_PRECONDITION;
    }

    private static boolean isConnectFailure(StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.UNAVAILABLE) {
            return false;
        }
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof java.io.IOException) {
                return true;
            }
        }
        String d = e.getStatus().getDescription();
        return d != null && (d.contains("io exception") || d.contains("connect"));
    }
}
