package dev.berth.manager.server;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import io.grpc.HandlerRegistry;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The services of a berthd whose socket was bound before they were built ({@link Berthd#start}): a call that comes
 * meanwhile waits for them (the lookup runs on the server's executor, a virtual thread of the call's own, so it
 * holds no event loop) and then goes to its service as any later call; if the start failed it fails with
 * UNAVAILABLE naming why. Nothing is answered before the services exist.
 */
final class PendingServices extends HandlerRegistry {

    private static final MethodDescriptor.Marshaller<InputStream> UNREAD = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(InputStream value) {
            return value;
        }

        @Override
        public InputStream parse(InputStream stream) {
            return stream;
        }
    };

    private final CompletableFuture<Map<String, ServerMethodDefinition<?, ?>>> methods = new CompletableFuture<>();

    /** Services already built. */
    static PendingServices of(List<ServerServiceDefinition> services) {
        PendingServices registry = new PendingServices();
        registry.serve(services);
        return registry;
    }

    /** The services are built: the waiting calls and every later one go to them. */
    void serve(List<ServerServiceDefinition> services) {
        Map<String, ServerMethodDefinition<?, ?>> byName = new HashMap<>();
        for (ServerServiceDefinition service : services) {
            for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
                byName.put(method.getMethodDescriptor().getFullMethodName(), method);
            }
        }
        methods.complete(Map.copyOf(byName));
    }

    /** The start failed: the waiting calls and every later one fail with UNAVAILABLE. */
    void fail(Exception cause) {
        methods.completeExceptionally(cause);
    }

    @Override
    public ServerMethodDefinition<?, ?> lookupMethod(String methodName, String authority) {
        try {
            return methods.get().get(methodName);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return refusal(methodName, new BerthException(ErrorKind.CANCELLED,
                    methodName + ": interrupted while berthd starts", e));
        } catch (ExecutionException e) {
            return refusal(methodName, new BerthException(ErrorKind.UNAVAILABLE,
                    methodName + ": berthd failed to start: " + e.getCause().getMessage(), e.getCause()));
        }
    }

    /** A method of any name whose calls are refused with {@code error}, their messages unread. */
    private static ServerMethodDefinition<InputStream, InputStream> refusal(String methodName, BerthException error) {
        MethodDescriptor<InputStream, InputStream> method = MethodDescriptor.newBuilder(UNREAD, UNREAD)
                .setType(MethodDescriptor.MethodType.UNKNOWN).setFullMethodName(methodName).build();
        return ServerMethodDefinition.create(method, (call, headers) -> AwaitRecovery.refuse(call, error));
    }
}
