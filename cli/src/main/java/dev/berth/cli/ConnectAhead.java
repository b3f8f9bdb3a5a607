package dev.berth.cli;

import dev.berth.cli.command.Session;
import dev.berth.client.Berth;
import dev.berth.model.DockerJson;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The session of a verb that talks to berthd: its client is made, and starts connecting, on a daemon thread as soon
 * as the verb is known, so that gRPC's set-up (grpc-api's {@code java.util.logging}, the unix socket's
 * {@code SecureRandom}, the connection and HTTP/2's preface) runs on the other core while the main thread parses the
 * verb's flags or prepares its first call. The same thread then has Jackson build its serializers of the JSON
 * documents the verb will send ({@code run} and {@code create}: docker's container configuration), the first of which
 * makes Jackson's first mapper (its date format loads the JDK's calendar data). A verb connects once:
 * {@link #connect()} answers that client.
 */
final class ConnectAhead implements Session {
    private final Session globals;
    private final FutureTask<Berth> client;

    ConnectAhead(Session globals, List<Class<?>> documents) {
        this.globals = globals;
        // classes, not lambdas: the AOT cache holds classes, a lambda is spun at each start
        this.client = new FutureTask<>(new Callable<Berth>() {
            @Override
            public Berth call() {
                Berth berth = globals.connect().connectInBackground();
                for (Class<?> document : documents) {
                    DockerJson.mapper().writerFor(document); // an ObjectWriter for a type prefetches its serializer
                }
                return berth;
            }
        });
        Thread.ofPlatform().daemon().name("berth-connect-ahead").start(client);
    }

    @Override
    public String address() {
        return globals.address();
    }

    @Override
    public String namespace() {
        return globals.namespace();
    }

    @Override
    public Map<String, String> environment() {
        return globals.environment();
    }

    @Override
    public Berth connect() {
        try {
            return client.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("connect to " + address(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("connect to " + address() + ": interrupted", e);
        }
    }
}
