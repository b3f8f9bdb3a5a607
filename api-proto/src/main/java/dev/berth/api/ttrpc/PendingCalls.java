package dev.berth.api.ttrpc;

import dev.berth.api.errdefs.Code;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** A client connection's calls awaiting their response, by stream id. */
final class PendingCalls {
    private final Map<Integer, CompletableFuture<Response>> calls = new ConcurrentHashMap<>();
    private volatile Optional<TtrpcException> closed = Optional.empty();

    /** Registers a stream before its request is sent, so that no response can arrive unseen. */
    CompletableFuture<Response> register(int streamId) {
        CompletableFuture<Response> future = new CompletableFuture<>();
        calls.put(streamId, future);
        closed.ifPresent(cause -> fail(streamId, cause));
        return future;
    }

    void complete(int streamId, Response response) {
        CompletableFuture<Response> future = calls.remove(streamId);
        if (future != null) {
            future.complete(response); // a response for an abandoned (timed out) call is dropped
        }
    }

    void fail(int streamId, TtrpcException cause) {
        CompletableFuture<Response> future = calls.remove(streamId);
        if (future != null) {
            future.completeExceptionally(cause);
        }
    }

    void abandon(int streamId) {
        calls.remove(streamId);
    }

    /** Fails every pending call and every later one: the connection is gone. */
    void closeAll(String reason) {
        TtrpcException cause = new TtrpcException(Code.UNAVAILABLE, reason);
        closed = Optional.of(cause);
        for (Integer streamId : calls.keySet()) {
            fail(streamId, cause);
        }
    }

    Optional<TtrpcException> closed() {
        return closed;
    }
}
