package dev.berth.api.errdefs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

class GrpcErrorsTest {

    @Test
    void toStatusException_berthException_sendsCodeOfKindAndMessage() {
        for (ErrorKind kind : ErrorKind.values()) {
            StatusRuntimeException e = GrpcErrors.toStatusException(new BerthException(kind, "stat snapshot k1: gone"));
            assertEquals(kind.code().value(), e.getStatus().getCode().value(), kind.name());
            assertEquals("stat snapshot k1: gone", e.getStatus().getDescription());
        }
    }

    @Test
    void toStatusException_notFound_isGrpcNotFound() {
        StatusRuntimeException e = GrpcErrors.toStatusException(BerthException.notFound("container c1: not found"));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
    }

    @Test
    void toStatusException_illegalArgument_isInvalidArgument() {
        StatusRuntimeException e = GrpcErrors.toStatusException(new IllegalArgumentException("invalid digest: sha256:x"));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertEquals("invalid digest: sha256:x", e.getStatus().getDescription());
    }

    @Test
    void toStatusException_otherThrowable_isInternalWithMessageOnly() {
        IllegalStateException cause = new IllegalStateException("write metadata.db: disk full");
        StatusRuntimeException e = GrpcErrors.toStatusException(cause);
        assertEquals(Status.Code.INTERNAL, e.getStatus().getCode());
        assertEquals("write metadata.db: disk full", e.getStatus().getDescription());
        assertSame(cause, e.getStatus().getCause());
    }

    @Test
    void toStatusException_noMessage_namesTheTypeNotTheStack() {
        StatusRuntimeException e = GrpcErrors.toStatusException(new NullPointerException());
        assertEquals(Status.Code.INTERNAL, e.getStatus().getCode());
        assertEquals("NullPointerException", e.getStatus().getDescription());
    }

    @Test
    void toStatusException_statusException_passesThrough() {
        StatusRuntimeException sent = Status.UNAVAILABLE.withDescription("shim gone").asRuntimeException();
        assertSame(sent, GrpcErrors.toStatusException(sent));
    }

    @Test
    void kindOf_mapsReceivedCodes() {
        assertEquals(ErrorKind.NOT_FOUND, GrpcErrors.kindOf(Status.NOT_FOUND.asRuntimeException()));
        assertEquals(ErrorKind.ALREADY_EXISTS, GrpcErrors.kindOf(Status.ALREADY_EXISTS.asRuntimeException()));
        assertEquals(ErrorKind.FAILED_PRECONDITION, GrpcErrors.kindOf(Status.FAILED_PRECONDITION.asRuntimeException()));
        assertEquals(ErrorKind.UNKNOWN, GrpcErrors.kindOf(Status.DATA_LOSS.asRuntimeException()));
    }

    @Test
    void fromStatus_keepsKindAndMessage() {
        StatusRuntimeException received = Status.ALREADY_EXISTS.withDescription("image busybox: already exists")
                .asRuntimeException();
        BerthException e = GrpcErrors.fromStatus(received);
        assertEquals(ErrorKind.ALREADY_EXISTS, e.kind());
        assertEquals("image busybox: already exists", e.getMessage());
        assertSame(received, e.getCause());
    }

    @Test
    void fromStatus_noDescription_usesCodeName() {
        assertEquals("unavailable", GrpcErrors.fromStatus(Status.UNAVAILABLE.asRuntimeException()).getMessage());
    }

    @Test
    void roundTrip_everyKind() {
        for (ErrorKind kind : ErrorKind.values()) {
            BerthException back = GrpcErrors.fromStatus(GrpcErrors.toStatusException(new BerthException(kind, "m")));
            assertEquals(kind, back.kind());
            assertEquals("m", back.getMessage());
        }
    }
}
