package dev.berth.api.ttrpc;

import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** A named ttrpc service: its full protobuf name and a handler per method. */
public final class TtrpcService {
    private final String name;
    private final Map<String, TtrpcHandler> methods;

    private TtrpcService(String name, Map<String, TtrpcHandler> methods) {
        this.name = name;
        this.methods = Map.copyOf(methods);
    }

    /** Starts a service with a full name such as {@code containerd.task.v2.Task}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    Optional<TtrpcHandler> method(String method) {
        return Optional.ofNullable(methods.get(method));
    }

    /** Collects the methods of a {@link TtrpcService}. */
    public static final class Builder {
        private final String name;
        private final Map<String, TtrpcHandler> methods = new LinkedHashMap<>();

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /** Adds a method served on raw bytes. */
        public Builder method(String method, TtrpcHandler handler) {
            if (methods.putIfAbsent(method, Objects.requireNonNull(handler, "handler")) != null) {
                throw new IllegalArgumentException("register ttrpc method " + name + "/" + method + ": already registered");
            }
            return this;
        }

        /** Adds a method served on protobuf messages, parsing requests with {@code parser}. */
        public <Q extends MessageLite, R extends MessageLite> Builder unary(
                String method, Parser<Q> parser, UnaryMethod<Q, R> handler) {
            Objects.requireNonNull(handler, "handler");
            return method(method, (context, payload) -> handler.handle(context, parser.parseFrom(payload)).toByteArray());
        }

        public TtrpcService build() {
            return new TtrpcService(name, methods);
        }
    }
}
