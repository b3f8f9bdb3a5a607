package dev.berth.api.ttrpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.Code;
import dev.berth.api.errdefs.ErrorKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TtrpcServer and TtrpcClient against each other over a real unix socket. */
class TtrpcServerTest {
    private static final String SERVICE = "berth.test.v1.Echo";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir Path dir;

    private final CountDownLatch slowInterrupted = new CountDownLatch(1);
    private final AtomicReference<CallContext> lastContext = new AtomicReference<>();
    private TtrpcServer server;
    private Path socket;

    @BeforeEach
    void start() throws IOException {
        TtrpcService echo = TtrpcService.builder(SERVICE)
                .method("Echo", (context, payload) -> {
                    lastContext.set(context);
                    return payload;
                })
                .method("SleepThenEcho", (context, payload) -> {
                    // payload: the milliseconds to sleep, as text
                    sleep(Long.parseLong(new String(payload, StandardCharsets.UTF_8)));
                    return payload;
                })
                .method("NotFound", (context, payload) -> {
                    throw BerthException.notFound("container abc: not found");
                })
                .method("Broken", (context, payload) -> {
                    throw new IllegalStateException("bug");
                })
                .method("Slow", (context, payload) -> {
                    try {
                        Thread.sleep(Duration.ofSeconds(30));
                    } catch (InterruptedException e) {
                        slowInterrupted.countDown();
                        Thread.currentThread().interrupt();
                    }
                    return payload;
                })
                .build();
        server = new TtrpcServer(echo);
        socket = dir.resolve("ttrpc.sock");
        server.listen(socket);
    }

    @AfterEach
    void stop() {
        server.shutdown(Duration.ofSeconds(1));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BerthException(ErrorKind.CANCELLED, "sleep: interrupted");
        }
    }

    @Test
    void call_roundTrip_carriesPayloadAndMetadata() throws IOException {
        try (TtrpcClient client = TtrpcClient.connect(socket)) {
            byte[] response = client.call(SERVICE, "Echo", new byte[] {1, 2, 3},
                    Metadata.namespace("berthtest").with("X-Other", "a").with("x-other", "b"), TIMEOUT);
            assertArrayEquals(new byte[] {1, 2, 3}, response);
        }
        CallContext context = lastContext.get();
        assertEquals(SERVICE, context.service());
        assertEquals("Echo", context.method());
        assertEquals("berthtest", context.namespace().orElseThrow());
        assertEquals(List.of("a", "b"), context.metadata().get("x-other"));
        assertTrue(context.deadline().isPresent());
    }

    @Test
    void call_noDeadline_sendsNoTimeout() throws IOException {
        try (TtrpcClient client = TtrpcClient.connect(socket)) {
            client.call(SERVICE, "Echo", new byte[0], Metadata.empty(), TtrpcClient.NO_DEADLINE);
        }
        assertTrue(lastContext.get().deadline().isEmpty());
    }

    @Test
    void call_concurrentOnOneConnection_completeOutOfOrder() throws Exception {
        int calls = 50;
        List<Future<String>> results = new ArrayList<>();
        List<String> completionOrder = java.util.Collections.synchronizedList(new ArrayList<>());
        try (TtrpcClient client = TtrpcClient.connect(socket);
                ExecutorService threads = Executors.newFixedThreadPool(10)) {
            for (int i = 0; i < calls; i++) {
                // Earlier calls sleep longer, so responses come back in roughly reverse order.
                String sleepMillis = Integer.toString((calls - i) * 4);
                results.add(threads.submit(() -> {
                    byte[] out = client.call(SERVICE, "SleepThenEcho", sleepMillis.getBytes(StandardCharsets.UTF_8),
                            Metadata.empty(), TIMEOUT);
                    String echoed = new String(out, StandardCharsets.UTF_8);
                    completionOrder.add(echoed);
                    return echoed;
                }));
            }
            for (int i = 0; i < calls; i++) {
                assertEquals(Integer.toString((calls - i) * 4), results.get(i).get(30, TimeUnit.SECONDS));
            }
        }
        assertEquals(calls, completionOrder.size());
        List<String> submitted = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            submitted.add(Integer.toString((calls - i) * 4));
        }
        assertFalse(submitted.equals(completionOrder), "responses should not all come back in submission order");
    }

    @Test
    void call_unknownMethod_isUnimplemented() throws IOException {
        try (TtrpcClient client = TtrpcClient.connect(socket)) {
            TtrpcException e = assertThrows(TtrpcException.class,
                    () -> client.call(SERVICE, "Nope", new byte[0], Metadata.empty(), TIMEOUT));
            assertEquals(Code.UNIMPLEMENTED, e.code());
            assertEquals(ErrorKind.UNIMPLEMENTED, e.kind());
            assertEquals("method Nope", e.getMessage());
        }
    }

    @Test
    void call_unknownService_isUnimplemented() throws IOException {
        try (TtrpcClient client = TtrpcClient.connect(socket)) {
            TtrpcException e = assertThrows(TtrpcException.class,
                    () -> client.call("no.such.Service", "Echo", new byte[0], Metadata.empty(), TIMEOUT));
            assertEquals(Code.UNIMPLEMENTED, e.code());
            assertEquals("service no.such.Service", e.getMessage());
        }
    }

    @Test
    void call_handlerThrowsKind_returnsItsCodeAndMessage() throws IOException {
        try (TtrpcClient client = TtrpcClient.connect(socket)) {
            TtrpcException e = assertThrows(TtrpcException.class,
                    () -> client.call(SERVICE, "NotFound", new byte[0], Metadata.empty(), TIMEOUT));
            assertEquals(Code.NOT_FOUND, e.code());
            assertEquals(ErrorKind.NOT_FOUND, e.kind());
            assertEquals("container abc: not found", e.getMessage());
        }
    }

    @Test
    void call_handlerBug_isInternalAndConnectionSurvives() throws IOException {
        try (TtrpcClient client = TtrpcClient.connect(socket)) {
            TtrpcException e = assertThrows(TtrpcException.class,
                    () -> client.call(SERVICE, "Broken", new byte[0], Metadata.empty(), TIMEOUT));
            assertEquals(Code.INTERNAL, e.code());
            assertArrayEquals(new byte[] {4}, client.call(SERVICE, "Echo", new byte[] {4}, Metadata.empty(), TIMEOUT));
        }
    }

    @Test
    void call_deadlinePasses_isDeadlineExceededAndHandlerInterrupted() throws Exception {
        try (TtrpcClient client = TtrpcClient.connect(socket)) {
            TtrpcException e = assertThrows(TtrpcException.class,
                    () -> client.call(SERVICE, "Slow", new byte[0], Metadata.empty(), Duration.ofMillis(200)));
            assertEquals(Code.DEADLINE_EXCEEDED, e.code());
            assertTrue(slowInterrupted.await(5, TimeUnit.SECONDS), "the server interrupts the handler at the deadline");
            assertArrayEquals(new byte[] {5}, client.call(SERVICE, "Echo", new byte[] {5}, Metadata.empty(), TIMEOUT));
        }
    }

    @Test
    void call_slowHandlerInFlight_otherCallsOnTheConnectionComplete() throws Exception {
        try (TtrpcClient client = TtrpcClient.connect(socket);
                ExecutorService thread = Executors.newSingleThreadExecutor()) {
            Future<byte[]> slow = thread.submit(
                    () -> client.call(SERVICE, "Slow", new byte[0], Metadata.empty(), TIMEOUT));
            Thread.sleep(100); // the slow call's request is on the wire, its handler sleeping
            for (byte i = 0; i < 20; i++) {
                assertArrayEquals(new byte[] {i},
                        client.call(SERVICE, "Echo", new byte[] {i}, Metadata.empty(), Duration.ofSeconds(2)));
            }
            assertFalse(slow.isDone(), "the slow call is still in flight");
        }
    }

    @Test
    void call_oversizeRequest_isResourceExhaustedBeforeSending() throws IOException {
        try (TtrpcClient client = TtrpcClient.connect(socket)) {
            TtrpcException e = assertThrows(TtrpcException.class,
                    () -> client.call(SERVICE, "Echo", new byte[4 << 20], Metadata.empty(), TIMEOUT));
            assertEquals(Code.RESOURCE_EXHAUSTED, e.code());
            assertArrayEquals(new byte[] {6}, client.call(SERVICE, "Echo", new byte[] {6}, Metadata.empty(), TIMEOUT));
        }
    }

    @Test
    void call_afterClientClose_isUnavailable() throws Exception {
        TtrpcClient client = TtrpcClient.connect(socket);
        try (ExecutorService thread = Executors.newSingleThreadExecutor()) {
            Future<byte[]> waiting = thread.submit(
                    () -> client.call(SERVICE, "Slow", new byte[0], Metadata.empty(), TIMEOUT));
            Thread.sleep(200);
            client.close();
            ExecutionException e = assertThrows(ExecutionException.class, () -> waiting.get(5, TimeUnit.SECONDS));
            assertEquals(Code.UNAVAILABLE, ((TtrpcException) e.getCause()).code());
        }
        TtrpcException e = assertThrows(TtrpcException.class,
                () -> client.call(SERVICE, "Echo", new byte[0], Metadata.empty(), TIMEOUT));
        assertEquals(Code.UNAVAILABLE, e.code());
    }

    @Test
    void shutdown_letsCallInFlightFinishThenRemovesSocket() throws Exception {
        try (TtrpcClient client = TtrpcClient.connect(socket);
                ExecutorService thread = Executors.newSingleThreadExecutor()) {
            Future<byte[]> inFlight = thread.submit(() -> client.call(SERVICE, "SleepThenEcho",
                    "300".getBytes(StandardCharsets.UTF_8), Metadata.empty(), TIMEOUT));
            Thread.sleep(100);
            server.shutdown(Duration.ofSeconds(5));
            assertEquals("300", new String(inFlight.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8));
        }
        assertFalse(Files.exists(socket));
        assertThrows(IOException.class, () -> TtrpcClient.connect(socket));
    }
}
