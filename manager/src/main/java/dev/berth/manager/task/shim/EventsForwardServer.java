package dev.berth.manager.task.shim;

import com.google.protobuf.Empty;
import com.google.protobuf.Timestamp;
import dev.berth.api.errdefs.BerthException;
import dev.berth.api.services.ttrpc.events.v1.ForwardRequest;
import dev.berth.api.ttrpc.CallContext;
import dev.berth.api.ttrpc.TtrpcServer;
import dev.berth.api.ttrpc.TtrpcService;
import dev.berth.manager.event.Envelope;
import dev.berth.manager.event.Forwarder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Serves {@code containerd.services.events.ttrpc.v1.Events/Forward} on the socket shims are given as {@code
 * TTRPC_ADDRESS}, and hands each event to a {@link Forwarder} with the shim's timestamp, each {@code /tasks/exit}
 * once ({@link ExitDeduplication}). An envelope without a namespace takes the call's ({@code
 * containerd-namespace-ttrpc}).
 */
public final class EventsForwardServer implements AutoCloseable {
    private static final String SERVICE = "containerd.services.events.ttrpc.v1.Events";

    private final TtrpcServer server;
    private final Path socket;

    private EventsForwardServer(TtrpcServer server, Path socket) {
        this.server = server;
        this.socket = socket;
    }

    /**
     * Creates the socket, mode 0660 (a stale socket file left by a crashed berthd is replaced; the caller holds the
     * root's lock), and serves it until {@link #close}, which removes it.
     */
    public static EventsForwardServer listen(Path socket, Forwarder exchange) throws IOException {
        Forwarder forwarder = new ExitDeduplication(exchange);
        TtrpcServer server = new TtrpcServer(TtrpcService.builder(SERVICE)
                .unary("Forward", ForwardRequest.parser(), (context, request) -> {
                    forwarder.forward(envelope(context, request));
                    return Empty.getDefaultInstance();
                }).build());
        java.nio.file.Files.deleteIfExists(socket);
        server.listen(socket);
        java.nio.file.Files.setPosixFilePermissions(socket,
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw----"));
        return new EventsForwardServer(server, socket);
    }

    static Envelope envelope(CallContext context, ForwardRequest request) {
        if (!request.hasEnvelope()) {
            throw BerthException.invalidArgument("forward event: no envelope");
        }
        var e = request.getEnvelope();
        String namespace = e.getNamespace().isEmpty() ? context.namespace().orElse("") : e.getNamespace();
        Timestamp t = e.getTimestamp();
        return new Envelope(Instant.ofEpochSecond(t.getSeconds(), t.getNanos()), namespace, e.getTopic(),
                e.getEvent());
    }

    public Path socket() {
        return socket;
    }

    @Override
    public void close() {
        server.shutdown(Duration.ofSeconds(2));
    }
}
