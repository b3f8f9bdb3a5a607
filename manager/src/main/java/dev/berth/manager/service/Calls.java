package dev.berth.manager.service;

import dev.berth.api.errdefs.GrpcErrors;
import io.grpc.stub.StreamObserver;
import java.io.IOException;

/** Runs one RPC's domain call and answers it: the value, or the error mapped to its status in one place. */
public final class Calls {

    private Calls() {
    }

    /** A domain call that may fail with an I/O error. */
    @FunctionalInterface
    public interface Body<T> {
        T call() throws IOException;
    }

    /** Answers a unary call with {@code body}'s value, or with the status of its failure. */
    public static <T> void unary(StreamObserver<T> response, Body<T> body) {
        T value;
        try {
            value = body.call();
        } catch (IOException | RuntimeException e) {
            response.onError(GrpcErrors.toStatusException(e));
            return;
        }
        response.onNext(value);
        response.onCompleted();
    }
}
