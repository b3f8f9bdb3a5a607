package dev.berth.manager.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.api.events.TaskExit;
import dev.berth.api.events.TaskStart;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ExchangeTest {
    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
    private final Exchange exchange = new Exchange(Clock.fixed(NOW, ZoneOffset.UTC), 3, List.of());

    private static TaskExit exit(String id, int status) {
        return TaskExit.newBuilder().setContainerId(id).setId(id).setExitStatus(status).build();
    }

    @Test
    void publish_deliversEnvelopeWithTypeUrlAndTimestamp_inOrder() throws Exception {
        try (Subscription all = exchange.subscribe(List.of())) {
            exchange.publish("default", Topics.TASK_START, TaskStart.newBuilder().setContainerId("a").build());
            exchange.publish("default", Topics.TASK_EXIT, exit("a", 3));
            Envelope first = all.next();
            assertEquals(new Envelope(NOW, "default", "/tasks/start", Any.newBuilder()
                    .setTypeUrl("containerd.events.TaskStart")
                    .setValue(TaskStart.newBuilder().setContainerId("a").build().toByteString()).build()), first);
            Envelope second = all.next();
            assertEquals("/tasks/exit", second.topic());
            assertEquals(3, TaskExit.parseFrom(second.event().getValue()).getExitStatus());
        }
    }

    @Test
    void subscribe_filtersOnTopicNamespaceAndEventFields() throws Exception {
        Exchange exchange = new Exchange(Clock.fixed(NOW, ZoneOffset.UTC), 16, List.of());
        try (Subscription exits = exchange.subscribe(List.of("topic==\"/tasks/exit\",namespace==ns1"));
             Subscription byField = exchange.subscribe(List.of("event.container_id==b", "event.exit_status==7"));
             Subscription regex = exchange.subscribe(List.of("topic~=\"^/tasks/\""))) {
            exchange.publish("ns1", Topics.TASK_EXIT, exit("a", 1));
            exchange.publish("ns2", Topics.TASK_EXIT, exit("b", 2));
            exchange.publish("ns1", Topics.TASK_START, TaskStart.newBuilder().setContainerId("c").build());
            exchange.publish("ns1", Topics.TASK_EXIT, exit("d", 7));
            exchange.publish("ns1", Topics.CONTAINER_DELETE, TaskStart.getDefaultInstance());

            assertEquals(List.of("a", "d"), ids(exits, 2));
            assertEquals(Optional.empty(), exits.poll(Duration.ZERO));
            assertEquals(List.of("b", "d"), ids(byField, 2));
            assertEquals(Optional.empty(), byField.poll(Duration.ZERO));
            assertEquals(4, drain(regex));
        }
    }

    @Test
    void forward_keepsTheShimsTimestamp() throws Exception {
        try (Subscription s = exchange.subscribe(List.of())) {
            Envelope e = new Envelope(Instant.EPOCH, "ns", "/tasks/oom", Any.getDefaultInstance());
            exchange.forward(e);
            assertEquals(e, s.next());
        }
    }

    @Test
    void slowSubscriber_isDroppedAfterItsBuffer_withoutBlockingThePublisher() throws Exception {
        Subscription slow = exchange.subscribe(List.of());
        Subscription other = exchange.subscribe(List.of("event.container_id==x"));
        for (int i = 0; i < 10; i++) {
            exchange.publish("ns", Topics.TASK_EXIT, exit("c" + i, i)); // never blocks: capacity is 3
        }
        assertEquals(1, exchange.subscribers(), "the slow one is gone");
        assertEquals(List.of("c0", "c1", "c2"), ids(slow, 3));
        BerthException e = assertThrows(BerthException.class, slow::next);
        assertEquals(ErrorKind.RESOURCE_EXHAUSTED, e.kind());
        assertTrue(e.getMessage().contains("dropped"), e.getMessage());
        other.close();
        assertEquals(0, exchange.subscribers());
    }

    @Test
    void close_wakesAWaitingTakerWithCancelled() throws Exception {
        Subscription s = exchange.subscribe(List.of());
        CompletableFuture<ErrorKind> taker = CompletableFuture.supplyAsync(() -> {
            try {
                s.next();
                return ErrorKind.UNKNOWN;
            } catch (BerthException e) {
                return e.kind();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ErrorKind.UNKNOWN;
            }
        });
        Thread.sleep(50);
        s.close();
        assertEquals(ErrorKind.CANCELLED, taker.get(5, TimeUnit.SECONDS));
        assertEquals(0, exchange.subscribers());
    }

    @Test
    void publish_badNamespaceOrTopic_isInvalidArgument() {
        for (String[] bad : new String[][] {{"", "/tasks/exit"}, {"a/b", "/tasks/exit"}, {"ns", "tasks/exit"},
                {"ns", "/"}, {"ns", "/tasks//exit"}, {"ns", "/tasks/exit/"}}) {
            BerthException e = assertThrows(BerthException.class,
                    () -> exchange.publish(bad[0], bad[1], TaskStart.getDefaultInstance()));
            assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind(), String.join(" ", bad));
        }
    }

    @Test
    void subscribe_badFilter_isInvalidArgument() {
        assertEquals(ErrorKind.INVALID_ARGUMENT,
                assertThrows(BerthException.class, () -> exchange.subscribe(List.of("topic=="))).kind());
    }

    private static List<String> ids(Subscription s, int n) throws InterruptedException,
            InvalidProtocolBufferException {
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            Envelope e = s.poll(Duration.ofSeconds(1)).orElseThrow();
            ids.add(TaskExit.parseFrom(e.event().getValue()).getContainerId());
        }
        return ids;
    }

    private static int drain(Subscription s) throws InterruptedException {
        int n = 0;
        while (s.poll(Duration.ZERO).isPresent()) {
            n++;
        }
        return n;
    }
}
