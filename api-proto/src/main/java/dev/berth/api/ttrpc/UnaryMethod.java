package dev.berth.api.ttrpc;

import com.google.protobuf.MessageLite;

/** Serves one ttrpc method on protobuf messages; errors as in {@link TtrpcHandler}. */
@FunctionalInterface
public interface UnaryMethod<Q extends MessageLite, R extends MessageLite> {
    R handle(CallContext context, Q request);
}
