package dev.berth.manager.server;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.api.errdefs.GrpcErrors;
import io.grpc.BindableService;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Holds the calls of the services it guards until a part of berthd's recovery has ended, so that berthd serves
 * while it recovers: {@code version}, images, content, containers and tasks (which wait per namespace, in {@link
 * dev.berth.manager.task.ShimTasks}) answer at once, docker's model (the engine services, and through them the
 * Docker API) once its containers are back. Calls run on virtual threads (UnixSocketServer), so a held call holds
 * no event loop. If the recovery failed, the calls fail with UNAVAILABLE naming it.
 */
final class AwaitRecovery implements ServerInterceptor {
    private final String what;
    private final CompletableFuture<?> recovered;

    AwaitRecovery(String what, CompletableFuture<?> recovered) {
        this.what = what;
        this.recovered = recovered;
    }

    /** {@code service} with its calls held until the recovery ended. */
    BindableService guard(BindableService service) {
        return () -> ServerInterceptors.intercept(service, this);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        if (!recovered.isDone() || recovered.isCompletedExceptionally()) {
            try {
                recovered.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return refuse(call, new BerthException(ErrorKind.CANCELLED, call.getMethodDescriptor()
                        .getFullMethodName() + ": interrupted while berthd recovers", e));
            } catch (ExecutionException e) {
                return refuse(call, new BerthException(ErrorKind.UNAVAILABLE, call.getMethodDescriptor()
                        .getFullMethodName() + ": " + what + " failed: " + e.getCause().getMessage(), e.getCause()));
            }
        }
        return next.startCall(call, headers);
    }

    /** Ends {@code call} with {@code error}'s status; what the client sends goes nowhere. */
    static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, BerthException error) {
        io.grpc.StatusRuntimeException status = GrpcErrors.toStatusException(error);
        call.close(status.getStatus(), status.getTrailers() != null ? status.getTrailers() : new Metadata());
        return new ServerCall.Listener<>() { };
    }
}
