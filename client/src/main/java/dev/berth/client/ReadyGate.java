package dev.berth.client;

import io.grpc.stub.ClientCallStreamObserver;

/**
 * gRPC's flow control for a client-streaming call fed from a blocking thread: the sender {@link #await}s until the
 * call can take a message, and the call's onReady handler wakes it (no polling), so a large upload keeps at most
 * the transport's ready threshold and one message in memory. Use: {@link #attach} in
 * {@code ClientResponseObserver.beforeStart}, {@link #end} when the call ends (its error or completion), then
 * {@link #await} before each {@code onNext}.
 */
final class ReadyGate {
    private ClientCallStreamObserver<?> requests;
    private boolean ended;

    /** Takes the call's request stream; its onReady handler wakes the sender. */
    synchronized void attach(ClientCallStreamObserver<?> requestStream) {
        this.requests = requestStream;
        requestStream.setOnReadyHandler(this::wake);
    }

    /** The call ended: a waiting sender stops waiting. */
    synchronized void end() {
        ended = true;
        notifyAll();
    }

    private synchronized void wake() {
        notifyAll();
    }

    /** Waits until the call can take a message; false when the call ended first (its answer says why). */
    synchronized boolean await() throws InterruptedException {
        while (!ended && !requests.isReady()) {
            wait();
        }
        return !ended;
    }
}
