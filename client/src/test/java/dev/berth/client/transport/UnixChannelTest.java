package dev.berth.client.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.berth.api.services.engine.v1.ArchiveChunk;
import dev.berth.api.services.engine.v1.ArchivePath;
import dev.berth.api.services.engine.v1.ContainerRef;
import dev.berth.api.services.engine.v1.ContainersGrpc;
import dev.berth.api.services.engine.v1.Empty;
import dev.berth.api.services.engine.v1.JsonDocument;
import dev.berth.api.services.engine.v1.LogsRequest;
import dev.berth.api.services.engine.v1.OutputChunk;
import dev.berth.client.UnixSocketServers;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoopGroup;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The transport's own cases against grpc-java's Netty server on a unix socket: messages larger than a frame and
 * than a window in both directions, headers and trailers with binary and non-ASCII values, deadlines, a
 * cancelled stream, a server that goes away mid-call and a channel that reconnects.
 */
@Timeout(60)
class UnixChannelTest {
    private static final Metadata.Key<byte[]> DETAIL = Metadata.Key.of("x-detail-bin",
            Metadata.BINARY_BYTE_MARSHALLER);
    private static final Metadata.Key<String> TAG = Metadata.Key.of("x-tag", Metadata.ASCII_STRING_MARSHALLER);

    private Path dir;
    private Path socket;
    private EventLoopGroup group;
    private Server server;
    private UnixChannel channel;
    private final Map<String, byte[]> stored = new ConcurrentHashMap<>();
    private final Map<String, String> headersSeen = new ConcurrentHashMap<>();
    private final CountDownLatch followCancelled = new CountDownLatch(1);
    private final CountDownLatch followStarted = new CountDownLatch(1);
    private final CountDownLatch uploadStalled = new CountDownLatch(1);
    private final CountDownLatch releaseStall = new CountDownLatch(1);

    private final ContainersGrpc.ContainersImplBase service = new ContainersGrpc.ContainersImplBase() {
        @Override
        public void inspect(ContainerRef request, StreamObserver<JsonDocument> response) {
            if (request.getId().equals("missing")) {
                Metadata trailers = new Metadata();
                trailers.put(DETAIL, new byte[] {0, 1, (byte) 0xfe, (byte) 0xff});
                response.onError(Status.NOT_FOUND.withDescription("no such container: müde 100% \"x\"\n")
                        .asRuntimeException(trailers));
                return;
            }
            response.onNext(JsonDocument.newBuilder().setJson(ByteString.copyFromUtf8("{\"Id\":\"" + request.getId()
                    + "\"}")).build());
            response.onCompleted();
        }

        @Override
        public void archiveGet(ArchivePath request, StreamObserver<ArchiveChunk> response) {
            byte[] data = stored.get(request.getPath());
            // three large messages (each above the 1 MiB window), then many small ones
            for (int off = 0; off < data.length; ) {
                int n = off < 3 * (4 << 20) ? Math.min(4 << 20, data.length - off) : Math.min(1000, data.length - off);
                response.onNext(ArchiveChunk.newBuilder().setData(ByteString.copyFrom(data, off, n)).build());
                off += n;
            }
            response.onCompleted();
        }

        @Override
        public StreamObserver<ArchiveChunk> archivePut(StreamObserver<Empty> response) {
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            String[] path = new String[1];
            return new StreamObserver<>() {
                @Override
                public void onNext(ArchiveChunk chunk) {
                    if (chunk.hasTarget()) {
                        path[0] = chunk.getTarget().getPath();
                        if (path[0].equals("/refused")) {
                            // the server ends the call while the client is still uploading
                            response.onError(Status.INVALID_ARGUMENT.withDescription("refused").asRuntimeException());
                            return;
                        }
                    }
                    if (path[0].equals("/stall")) {
                        uploadStalled.countDown();
                        awaitUninterruptibly(releaseStall); // takes no more: the client's windows run out
                        return;
                    }
                    data.writeBytes(chunk.getData().toByteArray());
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                    stored.put(path[0], data.toByteArray());
                    response.onNext(Empty.getDefaultInstance());
                    response.onCompleted();
                }
            };
        }

        @Override
        public void logs(LogsRequest request, StreamObserver<OutputChunk> response) {
            ServerCallStreamObserver<OutputChunk> call = (ServerCallStreamObserver<OutputChunk>) response;
            call.setOnCancelHandler(followCancelled::countDown);
            response.onNext(OutputChunk.newBuilder().setData(ByteString.copyFromUtf8("first")).build());
            followStarted.countDown();
            // follows until the client goes away
        }
    };

    @BeforeEach
    void serve() throws IOException {
        dir = Files.createTempDirectory("berth-h2c-");
        socket = dir.resolve("s.sock");
        group = UnixSocketServers.group();
        server = start();
        channel = UnixChannel.of(socket, 64 << 20);
    }

    private Server start() throws IOException {
        ServerInterceptor recorder = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                             ServerCallHandler<Q, R> next) {
                byte[] detail = headers.get(DETAIL);
                headersSeen.put("x-tag", String.valueOf(headers.get(TAG)));
                headersSeen.put("x-detail-bin", detail == null ? "none" : java.util.HexFormat.of().formatHex(detail));
                return next.startCall(call, headers);
            }
        };
        return UnixSocketServers.builder(socket, group).maxInboundMessageSize(64 << 20)
                .addService(ServerInterceptors.intercept(service, recorder)).build().start();
    }

    @AfterEach
    void stop() throws InterruptedException, IOException {
        releaseStall.countDown();
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        Files.deleteIfExists(socket);
        Files.deleteIfExists(dir);
    }

    private ContainersGrpc.ContainersBlockingStub blocking() {
        return ContainersGrpc.newBlockingStub(channel);
    }

    @Test
    void unary_carriesHeadersBothWays() {
        Metadata headers = new Metadata();
        headers.put(TAG, "ns-1");
        headers.put(DETAIL, new byte[] {(byte) 0x80, 0, 0x7f});
        JsonDocument doc = blocking().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .inspect(ContainerRef.newBuilder().setId("web").build());

        assertEquals("{\"Id\":\"web\"}", doc.getJson().toStringUtf8());
        assertEquals("ns-1", headersSeen.get("x-tag"));
        assertEquals("80007f", headersSeen.get("x-detail-bin"));
    }

    @Test
    void error_hasTheStatusTheMessageAndTheTrailers() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> blocking().inspect(ContainerRef.newBuilder().setId("missing").build()));

        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        assertEquals("no such container: müde 100% \"x\"\n", e.getStatus().getDescription());
        assertArrayEquals(new byte[] {0, 1, (byte) 0xfe, (byte) 0xff}, e.getTrailers().get(DETAIL));
    }

    @Test
    void largeMessages_bothWays() throws Exception {
        // 5 MiB messages: larger than a frame, than the stream's window and than the connection's
        byte[] data = random(3 * (4 << 20) + 200_000, 7);
        assertEquals(Status.Code.OK, upload(channel, "/big", data, 5 << 20).get(30, TimeUnit.SECONDS).getCode());
        assertArrayEquals(data, stored.get("/big"));
        assertArrayEquals(data, download("/big"));
    }

    @Test
    void deadline_endsTheCallAndTheServerSeesTheCancel() throws InterruptedException {
        Iterator<OutputChunk> logs = blocking().withDeadlineAfter(300, TimeUnit.MILLISECONDS)
                .logs(LogsRequest.newBuilder().setId("x").setFollow(true).build());
        assertEquals("first", logs.next().getData().toStringUtf8());

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, logs::hasNext);
        assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
        assertTrue(followCancelled.await(10, TimeUnit.SECONDS), "the server's call was cancelled");
        assertEquals("{\"Id\":\"next\"}", blocking().inspect(ContainerRef.newBuilder().setId("next").build())
                .getJson().toStringUtf8(), "the connection serves the next call");
    }

    @Test
    void serverGone_endsTheOpenCall_andTheChannelReconnects() throws Exception {
        Iterator<OutputChunk> logs = blocking().logs(LogsRequest.newBuilder().setId("x").setFollow(true).build());
        assertEquals("first", logs.next().getData().toStringUtf8());
        assertTrue(followStarted.await(10, TimeUnit.SECONDS));

        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, logs::hasNext);
        // grpc-java's server resets its open streams (CANCEL) before it closes the connection
        assertTrue(List.of(Status.Code.CANCELLED, Status.Code.UNAVAILABLE).contains(e.getStatus().getCode()),
                e.getStatus().toString());

        Files.deleteIfExists(socket);
        server = start();
        assertEquals("{\"Id\":\"again\"}", blocking().inspect(ContainerRef.newBuilder().setId("again").build())
                .getJson().toStringUtf8());
    }

    @Test
    void getStateWithRequest_connectsInTheBackground_andTheFirstCallUsesThatConnection() throws Exception {
        assertEquals(io.grpc.ConnectivityState.IDLE, channel.getState(false));

        assertTrue(List.of(io.grpc.ConnectivityState.CONNECTING, io.grpc.ConnectivityState.READY)
                .contains(channel.getState(true)));
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (channel.getState(false) != io.grpc.ConnectivityState.READY && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        assertEquals(io.grpc.ConnectivityState.READY, channel.getState(false), "connected without a call");
        Connection made = channel.connection();

        assertEquals("{\"Id\":\"web\"}", blocking().inspect(ContainerRef.newBuilder().setId("web").build())
                .getJson().toStringUtf8());
        assertSame(made, channel.connection());
    }

    @Test
    void getStateWithRequest_ofAnAbsentSocket_leavesTheFailureToTheFirstCall() throws InterruptedException {
        UnixChannel absent = UnixChannel.of(dir.resolve("absent.sock"), 1 << 20);
        absent.getState(true);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (absent.getState(false) == io.grpc.ConnectivityState.CONNECTING && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        assertEquals(io.grpc.ConnectivityState.IDLE, absent.getState(false));

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> ContainersGrpc.newBlockingStub(absent).inspect(ContainerRef.getDefaultInstance()));
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        absent.shutdownNow();
        assertEquals(io.grpc.ConnectivityState.SHUTDOWN, absent.getState(true));
    }

    @Test
    void absentSocket_isUnavailableWithTheCause() {
        UnixChannel absent = UnixChannel.of(dir.resolve("absent.sock"), 1 << 20);
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> ContainersGrpc.newBlockingStub(absent).inspect(ContainerRef.getDefaultInstance()));
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        assertTrue(e.getCause() instanceof IOException, String.valueOf(e.getCause()));
        absent.shutdownNow();
        assertTrue(absent.isShutdown());
    }

    @Test
    void manyConcurrentCalls_shareTheConnection() throws InterruptedException {
        List<Thread> threads = new java.util.ArrayList<>();
        Map<Integer, String> answers = new ConcurrentHashMap<>();
        for (int i = 0; i < 16; i++) {
            int n = i;
            threads.add(Thread.ofPlatform().start(() -> answers.put(n, blocking()
                    .inspect(ContainerRef.newBuilder().setId("c" + n).build()).getJson().toStringUtf8())));
        }
        for (Thread t : threads) {
            t.join();
        }
        for (int i = 0; i < 16; i++) {
            assertEquals("{\"Id\":\"c" + i + "\"}", answers.get(i));
        }
        assertFalse(channel.isShutdown());
    }

    @Test
    void upload_asTheFirstCallOfManyFreshConnections_completes() throws Exception {
        // each CLI process opens one connection and its first call may be the upload (berth load): the server's
        // SETTINGS reach the connection while that first stream is opened
        byte[] data = random(2 << 20, 11);
        for (int i = 0; i < 20; i++) {
            UnixChannel fresh = UnixChannel.of(socket, 64 << 20);
            try {
                Status status = upload(fresh, "/fresh" + i, data, 1 << 20).get(20, TimeUnit.SECONDS);
                assertTrue(status.isOk(), "upload " + i + ": " + status);
            } finally {
                fresh.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
            assertArrayEquals(data, stored.get("/fresh" + i));
        }
    }

    @Test
    void upload_ofFiveMegabytesInSmallMessages_andItsDownload() throws Exception {
        // 5 MiB in 16 KiB messages: many windows' worth of DATA frames, the connection's window topped up
        // again and again; then the same bytes back as a server stream
        byte[] data = random(5 << 20, 5);
        assertEquals(Status.Code.OK, upload(channel, "/five", data, 16 << 10).get(30, TimeUnit.SECONDS).getCode());
        assertArrayEquals(data, stored.get("/five"));
        assertArrayEquals(data, download("/five"));
    }

    @Test
    void manyConcurrentUploads_shareTheConnectionsWindow() throws Exception {
        // 8 streams of 3 MiB at once: together far beyond the connection's window, each beyond its stream's
        List<java.util.concurrent.CompletableFuture<Status>> calls = new java.util.ArrayList<>();
        List<byte[]> sent = new java.util.ArrayList<>();
        List<Thread> senders = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            byte[] data = random(3 << 20, 100 + i);
            sent.add(data);
            java.util.concurrent.CompletableFuture<Status> call = new java.util.concurrent.CompletableFuture<>();
            calls.add(call);
            int n = i;
            senders.add(Thread.ofPlatform().start(() -> upload(channel, "/many" + n, data, 256 << 10)
                    .whenComplete((s, t) -> call.complete(s))));
        }
        for (int i = 0; i < 8; i++) {
            Status status = calls.get(i).get(30, TimeUnit.SECONDS);
            assertTrue(status.isOk(), "upload " + i + ": " + status);
            assertArrayEquals(sent.get(i), stored.get("/many" + i));
        }
        for (Thread t : senders) {
            t.join();
        }
    }

    @Test
    void upload_theServerEndsTheCallMidUpload_endsWithItsStatus() throws Exception {
        // the server answers an error at the first message; the client still has 5 MiB to send, more than its
        // windows: its sends must stop instead of waiting for a WINDOW_UPDATE that will never come
        Status status = upload(channel, "/refused", random(5 << 20, 9), 64 << 10).get(20, TimeUnit.SECONDS);

        assertEquals(Status.Code.INVALID_ARGUMENT, status.getCode());
        assertEquals("refused", status.getDescription());
        assertEquals("{\"Id\":\"after\"}", blocking().inspect(ContainerRef.newBuilder().setId("after").build())
                .getJson().toStringUtf8(), "the connection serves the next call");
    }

    @Test
    void upload_theServerGoesAwayMidUpload_failsNamingTheCall() throws Exception {
        // the server takes no more of the upload (the client's sender waits for window), then shuts down: GOAWAY
        // and the connection's end must wake the sender and fail the call, naming it
        java.util.concurrent.CompletableFuture<Status> call = new java.util.concurrent.CompletableFuture<>();
        Thread sender = Thread.ofPlatform().start(() -> upload(channel, "/stall", random(8 << 20, 13), 1 << 20)
                .whenComplete((s, t) -> call.complete(s)));
        assertTrue(uploadStalled.await(20, TimeUnit.SECONDS));

        server.shutdownNow();
        Status status = call.get(20, TimeUnit.SECONDS);
        sender.join(20_000);

        assertFalse(sender.isAlive(), "the sender still waits for window");
        assertTrue(List.of(Status.Code.CANCELLED, Status.Code.UNAVAILABLE).contains(status.getCode()),
                status.toString());
        assertTrue(status.getDescription().contains("ArchivePut"), status.toString());
    }

    @Test
    void onReady_isCalledWhenTheStreamTakesMessages() throws Exception {
        // a caller that sends from its onReady handler (grpc's manual flow control) must be told once the stream
        // takes messages, or it never sends
        CountDownLatch ready = new CountDownLatch(1);
        java.util.concurrent.CompletableFuture<Status> done = new java.util.concurrent.CompletableFuture<>();
        ContainersGrpc.newStub(channel).archivePut(new UploadStatus(done) {
            @Override
            public void beforeStart(io.grpc.stub.ClientCallStreamObserver<ArchiveChunk> requests) {
                requests.setOnReadyHandler(() -> {
                    if (ready.getCount() > 0) {
                        ready.countDown();
                        requests.onNext(ArchiveChunk.newBuilder().setTarget(ArchivePath.newBuilder()
                                .setPath("/ready")).setData(ByteString.copyFromUtf8("sent when ready")).build());
                        requests.onCompleted();
                    }
                });
            }
        });

        assertTrue(ready.await(10, TimeUnit.SECONDS), "onReady was called");
        assertEquals(Status.Code.OK, done.get(10, TimeUnit.SECONDS).getCode());
        assertEquals("sent when ready", new String(stored.get("/ready"), java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The responses of an upload: {@code done} completes with the call's status. */
    private static class UploadStatus implements io.grpc.stub.ClientResponseObserver<ArchiveChunk, Empty> {
        private final java.util.concurrent.CompletableFuture<Status> done;

        UploadStatus(java.util.concurrent.CompletableFuture<Status> done) {
            this.done = done;
        }

        @Override
        public void beforeStart(io.grpc.stub.ClientCallStreamObserver<ArchiveChunk> requests) {
        }

        @Override
        public void onNext(Empty value) {
        }

        @Override
        public void onError(Throwable t) {
            done.complete(Status.fromThrowable(t));
        }

        @Override
        public void onCompleted() {
            done.complete(Status.OK);
        }
    }

    /** A client-streaming upload of {@code data} in messages of {@code chunk} octets; answers the call's status. */
    private static java.util.concurrent.CompletableFuture<Status> upload(UnixChannel to, String path, byte[] data,
                                                                         int chunk) {
        java.util.concurrent.CompletableFuture<Status> done = new java.util.concurrent.CompletableFuture<>();
        StreamObserver<ArchiveChunk> put = ContainersGrpc.newStub(to).archivePut(new UploadStatus(done));
        put.onNext(ArchiveChunk.newBuilder().setTarget(ArchivePath.newBuilder().setPath(path)).build());
        for (int off = 0; off < data.length && !done.isDone(); off += chunk) {
            put.onNext(ArchiveChunk.newBuilder().setData(ByteString.copyFrom(data, off,
                    Math.min(chunk, data.length - off))).build());
        }
        if (!done.isDone()) {
            put.onCompleted();
        }
        return done;
    }

    /** What the server stored at {@code path}, as its server stream sends it. */
    private byte[] download(String path) {
        ByteArrayOutputStream back = new ByteArrayOutputStream();
        Iterator<ArchiveChunk> chunks = blocking().archiveGet(ArchivePath.newBuilder().setPath(path).build());
        while (chunks.hasNext()) {
            back.writeBytes(chunks.next().getData().toByteArray());
        }
        return back.toByteArray();
    }

    private static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new java.util.Random(seed).nextBytes(data);
        return data;
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
