package dev.berth.api.ttrpc;

import java.io.IOException;

/**
 * Serves one ttrpc method on raw payload bytes.
 *
 * <p>A handler returns the response payload or throws: a {@link dev.berth.api.errdefs.BerthException} becomes a
 * status with its kind's code and its message; an {@link com.google.protobuf.InvalidProtocolBufferException}
 * becomes INVALID_ARGUMENT; any other exception becomes INTERNAL.
 */
@FunctionalInterface
public interface TtrpcHandler {
    byte[] handle(CallContext context, byte[] payload) throws IOException;
}
