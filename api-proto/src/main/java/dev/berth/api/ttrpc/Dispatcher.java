package dev.berth.api.ttrpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.Code;
import dev.berth.log.Log;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Routes a call to its service's method and turns the outcome, value or exception, into a {@link Response}. */
final class Dispatcher {
    private static final Log LOG = Log.of(Dispatcher.class);

    private final Map<String, TtrpcService> services = new HashMap<>();

    Dispatcher(List<TtrpcService> services) {
        for (TtrpcService service : services) {
            if (this.services.putIfAbsent(service.name(), service) != null) {
                throw new IllegalArgumentException("register ttrpc service " + service.name() + ": already registered");
            }
        }
    }

    Response dispatch(CallContext context, byte[] payload) {
        Optional<TtrpcHandler> handler =
                Optional.ofNullable(services.get(context.service())).flatMap(s -> s.method(context.method()));
        if (handler.isEmpty()) {
            // Go's ttrpc answers "service X" or "method Y" with Unimplemented; so do we.
            String missing = services.containsKey(context.service())
                    ? "method " + context.method()
                    : "service " + context.service();
            return error(Code.UNIMPLEMENTED, missing);
        }
        try {
            byte[] result = handler.get().handle(context, payload);
            if (result.length > Frame.MAX_PAYLOAD) {
                return error(Code.RESOURCE_EXHAUSTED, "encode response of " + fullName(context) + ": " + result.length
                        + " bytes exceed maximum message size of " + Frame.MAX_PAYLOAD);
            }
            return Response.newBuilder().setStatus(Statuses.of(Code.OK, "")).setPayload(ByteString.copyFrom(result)).build();
        } catch (TtrpcException e) {
            return error(e.code(), e.getMessage());
        } catch (BerthException e) {
            return error(e.kind().code(), e.getMessage());
        } catch (InvalidProtocolBufferException e) {
            return error(Code.INVALID_ARGUMENT, "decode request of " + fullName(context) + ": " + e.getMessage());
        } catch (IOException e) {
            return error(Code.INTERNAL, fullName(context) + ": " + e.getMessage());
        } catch (RuntimeException e) {
            // A bug in a handler must not take the connection down with it; the caller gets INTERNAL.
            LOG.warn("ttrpc handler failed", e, "method", fullName(context), "exception", e.getClass().getName());
            return error(Code.INTERNAL, fullName(context) + ": " + e);
        }
    }

    static Response error(Code code, String message) {
        return Response.newBuilder().setStatus(Statuses.of(code, message)).build();
    }

    private static String fullName(CallContext context) {
        return context.service() + "/" + context.method();
    }
}
