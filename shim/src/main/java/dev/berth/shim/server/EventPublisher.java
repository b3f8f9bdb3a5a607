package dev.berth.shim.server;

import com.google.protobuf.Any;
import com.google.protobuf.Empty;
import com.google.protobuf.Message;
import dev.berth.api.services.ttrpc.events.v1.Envelope;
import dev.berth.api.services.ttrpc.events.v1.ForwardRequest;
import dev.berth.api.ttrpc.Metadata;
import dev.berth.api.ttrpc.TtrpcClient;
import dev.berth.api.ttrpc.TtrpcException;
import dev.berth.log.Log;
import dev.berth.shim.process.EventSink;
import dev.berth.shim.process.Timestamps;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Publishes task events to containerd ({@code containerd.services.events.ttrpc.v1.Events/Forward} on the ttrpc
 * socket in {@code TTRPC_ADDRESS}) from one thread, in order. An event that cannot be delivered (containerd away or
 * restarting) stays at the head of the queue and is retried until it is: none is lost or reordered.
 *
 * <p>Each event travels as an {@code Any} whose type URL is the message's full name, as containerd's typeurl
 * registers its events ({@code containerd.events.TaskExit}).
 */
final class EventPublisher implements EventSink, AutoCloseable {
    private static final Log LOG = Log.of(EventPublisher.class);
    private static final String SERVICE = "containerd.services.events.ttrpc.v1.Events";
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
    private static final long MAX_BACKOFF_MILLIS = 2000;

    private final Optional<Path> address;
    private final String namespace;
    private final LinkedBlockingQueue<Envelope> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger undelivered = new AtomicInteger();
    private final Thread thread;
    private TtrpcClient client;

    private EventPublisher(Optional<Path> address, String namespace) {
        this.address = address;
        this.namespace = namespace;
        this.thread = Thread.ofPlatform().name("events").daemon().unstarted(this::loop);
    }

    /** Starts publishing to {@code address}; with none (not under containerd) events are dropped. */
    static EventPublisher start(Optional<Path> address, String namespace) {
        EventPublisher p = new EventPublisher(address, namespace);
        p.thread.start();
        return p;
    }

    @Override
    public void publish(String topic, Message event) {
        undelivered.incrementAndGet();
        queue.add(Envelope.newBuilder().setTimestamp(Timestamps.of(Instant.now())).setNamespace(namespace)
                .setTopic(topic).setEvent(Any.newBuilder().setTypeUrl(event.getDescriptorForType().getFullName())
                        .setValue(event.toByteString())).build());
    }

    private void loop() {
        try {
            while (true) {
                Envelope envelope = queue.take();
                deliver(envelope);
                undelivered.decrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void deliver(Envelope envelope) throws InterruptedException {
        if (address.isEmpty()) {
            return;
        }
        long backoff = 50;
        while (true) {
            try {
                if (client == null) {
                    client = TtrpcClient.connect(address.get());
                }
                client.call(SERVICE, "Forward", ForwardRequest.newBuilder().setEnvelope(envelope).build(),
                        Empty.parser(), Metadata.namespace(namespace), CALL_TIMEOUT);
                return;
            } catch (IOException | TtrpcException e) {
                LOG.warn("publish event; retrying", e, "topic", envelope.getTopic());
                closeClient();
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
            }
        }
    }

    private void closeClient() {
        if (client != null) {
            try {
                client.close();
            } catch (IOException e) {
                LOG.debug("close events client", e);
            }
            client = null;
        }
    }

    /** Waits up to {@code timeout} for every queued event to be delivered; true if they were. */
    boolean drain(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (undelivered.get() > 0 && Instant.now().isBefore(deadline)) {
            Thread.sleep(10);
        }
        return undelivered.get() == 0;
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
