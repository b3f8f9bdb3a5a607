package dev.berth.manager.service.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.Any;
import com.google.protobuf.Timestamp;
import dev.berth.api.events.TaskExit;
import dev.berth.api.services.events.v1.Envelope;
import dev.berth.api.services.events.v1.EventsGrpc;
import dev.berth.api.services.events.v1.ForwardRequest;
import dev.berth.api.services.events.v1.PublishRequest;
import dev.berth.api.services.events.v1.SubscribeRequest;
import dev.berth.manager.event.Exchange;
import dev.berth.manager.event.Subscription;
import dev.berth.manager.service.InProcessGrpc;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The events service in-process over a real exchange, its calls served on virtual threads as in berthd. */
class EventsServiceTest {
    private final Exchange exchange = new Exchange();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private InProcessGrpc grpc;
    private EventsGrpc.EventsBlockingStub events;

    @BeforeEach
    void setUp() throws Exception {
        grpc = new InProcessGrpc(executor, new EventsService(exchange, exchange, exchange));
        events = grpc.inNamespace(EventsGrpc.newBlockingStub(grpc.channel()), "ns1");
    }

    @AfterEach
    void tearDown() throws Exception {
        grpc.close();
        executor.shutdownNow();
    }

    @Test
    void publish_reachesTheSubscribersItsFiltersSelect_asItWasEncoded() throws Exception {
        Context.CancellableContext call = Context.current().withCancellation();
        try {
            Iterator<Envelope> stream = call.call(() -> events.subscribe(SubscribeRequest.newBuilder()
                    .addFilters("topic==\"/tasks/exit\",event.container_id==web").build()));
            awaitUntil("subscribed", () -> exchange.subscribers() == 1);

            Any other = exit("db");
            Any web = exit("web");
            events.publish(PublishRequest.newBuilder().setTopic("/tasks/exit").setEvent(other).build());
            events.publish(PublishRequest.newBuilder().setTopic("/tasks/start").setEvent(web).build());
            Instant before = Instant.now();
            events.publish(PublishRequest.newBuilder().setTopic("/tasks/exit").setEvent(web).build());

            Envelope received = stream.next();
            assertEquals("ns1", received.getNamespace());
            assertEquals("/tasks/exit", received.getTopic());
            assertEquals(web, received.getEvent());
            assertFalse(Instant.ofEpochSecond(received.getTimestamp().getSeconds(), received.getTimestamp()
                    .getNanos()).isBefore(before.minusSeconds(1)), "stamped when published");
        } finally {
            call.cancel(null);
        }
    }

    @Test
    void publish_withoutNamespaceOrWithABadTopic_isInvalid() {
        EventsGrpc.EventsBlockingStub noNamespace = EventsGrpc.newBlockingStub(grpc.channel());
        PublishRequest ok = PublishRequest.newBuilder().setTopic("/tasks/exit").setEvent(exit("web")).build();
        assertEquals(Status.Code.INVALID_ARGUMENT, assertThrows(StatusRuntimeException.class,
                () -> noNamespace.publish(ok)).getStatus().getCode());
        assertEquals(Status.Code.INVALID_ARGUMENT, assertThrows(StatusRuntimeException.class,
                () -> events.publish(ok.toBuilder().setTopic("tasks").build())).getStatus().getCode());
    }

    @Test
    void forward_keepsTheEnvelopesTimestampAndNamespace() throws Exception {
        Timestamp then = Timestamp.newBuilder().setSeconds(1_600_000_000L).setNanos(42).build();
        try (Subscription subscription = exchange.subscribe(List.of())) {
            events.forward(ForwardRequest.newBuilder().setEnvelope(Envelope.newBuilder().setTimestamp(then)
                    .setNamespace("other").setTopic("/tasks/exit").setEvent(exit("web"))).build());
            dev.berth.manager.event.Envelope got = subscription.poll(Duration.ofSeconds(5)).orElseThrow();
            assertEquals(Instant.ofEpochSecond(1_600_000_000L, 42), got.timestamp());
            assertEquals("other", got.namespace());
            assertEquals(exit("web"), got.event());
        }
    }

    @Test
    void subscribe_cancelledByTheClient_closesItsSubscription() throws Exception {
        Context.CancellableContext call = Context.current().withCancellation();
        Iterator<Envelope> stream = call.call(() -> events.subscribe(SubscribeRequest.getDefaultInstance()));
        awaitUntil("subscribed", () -> exchange.subscribers() == 1);
        events.publish(PublishRequest.newBuilder().setTopic("/tasks/exit").setEvent(exit("web")).build());
        assertEquals("/tasks/exit", stream.next().getTopic());

        call.cancel(null);
        awaitUntil("subscription closed", () -> exchange.subscribers() == 0);
    }

    @Test
    void subscribe_badFilter_isInvalid() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> events.subscribe(
                SubscribeRequest.newBuilder().addFilters("topic==").build()).hasNext());
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertEquals(0, exchange.subscribers());
    }

    private static Any exit(String containerId) {
        return Any.newBuilder().setTypeUrl("containerd.events.TaskExit")
                .setValue(TaskExit.newBuilder().setContainerId(containerId).setExitStatus(42).build().toByteString())
                .build();
    }

    private static void awaitUntil(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(5);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(10);
        }
    }
}
