package dev.berth.manager.dockerapi;

import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** The response side of a client- or bidi-streaming call whose answers are only collected: wait for its end. */
final class Completion<T> implements StreamObserver<T> {

    private final List<T> answers = new ArrayList<>();
    private final CompletableFuture<List<T>> done = new CompletableFuture<>();

    @Override
    public synchronized void onNext(T value) {
        answers.add(value);
    }

    @Override
    public void onError(Throwable t) {
        done.completeExceptionally(t);
    }

    @Override
    public synchronized void onCompleted() {
        done.complete(List.copyOf(answers));
    }

    boolean isDone() {
        return done.isDone();
    }

    /** The answers once the call ended; its failure rethrown as the engine's status. */
    List<T> join() {
        try {
            return done.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof StatusRuntimeException s) {
                throw s;
            }
            throw e;
        }
    }
}
