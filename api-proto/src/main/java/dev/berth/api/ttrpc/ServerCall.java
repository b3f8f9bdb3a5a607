package dev.berth.api.ttrpc;

import dev.berth.api.errdefs.Code;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One request being served, on its own virtual thread. Exactly one response is sent: the handler's, or
 * DEADLINE_EXCEEDED if the caller's timeout passes first, in which case the handler thread is interrupted.
 */
final class ServerCall implements Runnable {
    private final ServerConnection connection;
    private final int streamId;
    private final Request request;
    private final Dispatcher dispatcher;
    private final ScheduledExecutorService timer;
    private final AtomicBoolean responded = new AtomicBoolean();

    ServerCall(
            ServerConnection connection,
            int streamId,
            Request request,
            Dispatcher dispatcher,
            ScheduledExecutorService timer) {
        this.connection = connection;
        this.streamId = streamId;
        this.request = request;
        this.dispatcher = dispatcher;
        this.timer = timer;
    }

    @Override
    public void run() {
        try {
            long timeoutNanos = request.getTimeoutNano();
            Optional<Instant> deadline = timeoutNanos > 0 ? Optional.of(Instant.now().plusNanos(timeoutNanos)) : Optional.empty();
            CallContext context = new CallContext(
                    request.getService(), request.getMethod(), Metadata.fromKeyValues(request.getMetadataList()), deadline);
            Optional<ScheduledFuture<?>> expiry = Optional.empty();
            if (timeoutNanos > 0) {
                Thread handlerThread = Thread.currentThread();
                expiry = Optional.of(timer.schedule(() -> expire(handlerThread), timeoutNanos, TimeUnit.NANOSECONDS));
            }
            Response response = dispatcher.dispatch(context, request.getPayload().toByteArray());
            expiry.ifPresent(f -> f.cancel(false));
            respond(response);
        } finally {
            connection.callEnded();
        }
    }

    private void expire(Thread handlerThread) {
        String message = "call " + request.getService() + "/" + request.getMethod() + ": deadline exceeded";
        if (respond(Dispatcher.error(Code.DEADLINE_EXCEEDED, message))) {
            handlerThread.interrupt();
        }
    }

    private boolean respond(Response response) {
        if (!responded.compareAndSet(false, true)) {
            return false;
        }
        connection.send(streamId, response);
        return true;
    }
}
