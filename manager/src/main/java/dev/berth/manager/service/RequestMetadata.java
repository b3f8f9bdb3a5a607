package dev.berth.manager.service;

import dev.berth.api.errdefs.BerthException;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.Optional;

/**
 * What containerd's clients send in call metadata: the namespace ({@code containerd-namespace}; ctr sends
 * {@code default} unless told otherwise) and the lease the call works under ({@code containerd-lease}; ctr takes
 * one for every pull and run so that nothing it creates is collected half-way).
 */
public final class RequestMetadata implements ServerInterceptor {

    static final Metadata.Key<String> NAMESPACE =
            Metadata.Key.of("containerd-namespace", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> LEASE =
            Metadata.Key.of("containerd-lease", Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<String> NAMESPACE_KEY = Context.key("containerd-namespace");
    private static final Context.Key<String> LEASE_KEY = Context.key("containerd-lease");

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        Context ctx = Context.current()
                .withValue(NAMESPACE_KEY, headers.get(NAMESPACE))
                .withValue(LEASE_KEY, headers.get(LEASE));
        return Contexts.interceptCall(ctx, call, headers, next);
    }

    /** The call's namespace; INVALID_ARGUMENT naming the operation when the client sent none or an invalid one. */
    public static String namespace(String operation) {
        String ns = NAMESPACE_KEY.get();
        if (ns == null || ns.isEmpty()) {
            throw BerthException.invalidArgument(operation + ": namespace is required");
        }
        if (ns.length() > 76 || !ns.matches("[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*")) {
            throw BerthException.invalidArgument(operation + ": namespace " + ns + ": invalid name");
        }
        return ns;
    }

    /**
     * The namespace the client sent, unchecked, if any: for services whose requests name their own object and
     * only use the call's namespace to publish events in, as containerd's namespaces service does.
     */
    public static Optional<String> sentNamespace() {
        String ns = NAMESPACE_KEY.get();
        return ns == null || ns.isEmpty() ? Optional.empty() : Optional.of(ns);
    }

    /** The lease the call works under, if the client sent one. */
    public static Optional<String> lease() {
        String lease = LEASE_KEY.get();
        return lease == null || lease.isEmpty() ? Optional.empty() : Optional.of(lease);
    }
}
