package dev.berth.api.ttrpc;

import dev.berth.api.errdefs.Code;
import dev.berth.api.rpc.Status;

/** Builds the {@code google.rpc.Status} of a ttrpc response and reads it back. */
final class Statuses {
    private Statuses() {}

    static Status of(Code code, String message) {
        return Status.newBuilder().setCode(code.value()).setMessage(message).build();
    }

    static boolean isOk(Status status) {
        return status.getCode() == Code.OK.value();
    }

    static TtrpcException toException(Status status) {
        return new TtrpcException(Code.forValue(status.getCode()), status.getMessage());
    }
}
