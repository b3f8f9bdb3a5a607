package dev.berth.manager.dockerapi;

import com.google.protobuf.ByteString;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.function.Function;

/**
 * A client-streaming engine call fed from a request body on the handler's thread, at the engine's pace:
 * {@link #send} waits while the call is not ready (gRPC's flow control), so the body is read from the client no
 * faster than berthd consumes it and nothing piles up in memory. Use: pass it as the response observer of the
 * async stub's call, {@link #send} the messages (or {@link #sendBody}), then {@link #finish}.
 */
final class Upload<Q, A> implements ClientResponseObserver<Q, A> {

    /** How much of a request body goes in one message. */
    static final int CHUNK = 1 << 20;

    private final Completion<A> answers = new Completion<>();
    private final StreamObserver<A> tap;
    private ClientCallStreamObserver<Q> requests;

    Upload() {
        this(null);
    }

    /** An upload whose answers also go to {@code tap} as they come (a call that streams its progress back). */
    Upload(StreamObserver<A> tap) {
        this.tap = tap;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<Q> requestStream) {
        this.requests = requestStream;
        requestStream.setOnReadyHandler(this::wake);
    }

    @Override
    public void onNext(A value) {
        answers.onNext(value);
        if (tap != null) {
            tap.onNext(value);
        }
    }

    @Override
    public void onError(Throwable t) {
        answers.onError(t);
        wake();
        if (tap != null) {
            tap.onError(t);
        }
    }

    @Override
    public void onCompleted() {
        answers.onCompleted();
        wake();
        if (tap != null) {
            tap.onCompleted();
        }
    }

    private synchronized void wake() {
        notifyAll();
    }

    /** Sends one message once the call can take it; false when the call already ended (its answer says why). */
    boolean send(Q message) throws InterruptedIOException {
        synchronized (this) {
            while (!requests.isReady() && !answers.isDone()) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("upload: interrupted");
                }
            }
        }
        if (answers.isDone()) {
            return false;
        }
        requests.onNext(message);
        return true;
    }

    /**
     * Sends {@code body} in messages of up to {@link #CHUNK} bytes made by {@code message}; a body that fails to read (the client cut it short) cancels the call, so the engine keeps nothing of it,
     * and is rethrown.
     */
    void sendBody(InputStream body, Function<ByteString, Q> message) throws IOException {
        byte[] buf = new byte[CHUNK];
        try {
            int n;
            while ((n = body.readNBytes(buf, 0, CHUNK)) > 0) {
                if (!send(message.apply(ByteString.copyFrom(buf, 0, n)))) {
                    return;
                }
            }
        } catch (IOException e) {
            requests.cancel(e.getMessage(), e);
            throw e;
        }
    }

    /** Ends the request stream and waits for the call's answers; its failure rethrown as the engine's status. */
    List<A> finish() {
        endRequests();
        return answers.join();
    }

    /** Ends the request stream; the answers keep coming to the tap. */
    void endRequests() {
        if (!answers.isDone()) {
            requests.onCompleted();
        }
    }
}
