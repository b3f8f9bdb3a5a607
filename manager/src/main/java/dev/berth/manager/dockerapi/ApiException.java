package dev.berth.manager.dockerapi;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * A refusal with docker's HTTP status and message, answered as {@code {"message": …}}. {@link #of} is the one
 * mapping from the engine's gRPC statuses: NOT_FOUND 404, ALREADY_EXISTS and FAILED_PRECONDITION 409 (docker's
 * conflicts), INVALID_ARGUMENT and OUT_OF_RANGE 400, UNAUTHENTICATED 401, PERMISSION_DENIED 403, UNIMPLEMENTED
 * 501, UNAVAILABLE 503, anything else 500.
 */
final class ApiException extends RuntimeException {

    private final int status;

    ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    static ApiException notImplemented(String message) {
        return new ApiException(501, message);
    }

    static ApiException of(StatusRuntimeException e) {
        Status s = e.getStatus();
        String message = s.getDescription() != null ? s.getDescription() : s.getCode().name().toLowerCase();
        return new ApiException(status(s.getCode()), message);
    }

    static int status(Status.Code code) {
        return switch (code) {
            case NOT_FOUND -> 404;
            case ALREADY_EXISTS, FAILED_PRECONDITION -> 409;
            case INVALID_ARGUMENT, OUT_OF_RANGE -> 400;
            case UNAUTHENTICATED -> 401;
            case PERMISSION_DENIED -> 403;
            case UNIMPLEMENTED -> 501;
            case UNAVAILABLE -> 503;
            default -> 500;
        };
    }
}
