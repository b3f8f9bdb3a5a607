package dev.berth.manager.dockerapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.services.engine.v1.ArchiveChunk;
import dev.berth.api.services.engine.v1.ContainersGrpc;
import dev.berth.api.services.engine.v1.Empty;
import dev.berth.api.services.transfer.v1.Image;
import dev.berth.api.services.transfer.v1.ImportRequest;
import dev.berth.api.services.transfer.v1.LoginRequest;
import dev.berth.api.services.transfer.v1.LoginResponse;
import dev.berth.api.services.transfer.v1.Progress;
import dev.berth.api.services.transfer.v1.PullRequest;
import dev.berth.api.services.transfer.v1.PushRequest;
import dev.berth.api.services.transfer.v1.TransferGrpc;
import dev.berth.api.types.Descriptor;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /auth}, {@code X-Registry-Auth} on pull and push, push's progress in docker's shape, and uploads
 * (load, archive put) handed to the engine as they arrive, over a fake transfer and containers service.
 */
class DockerApiRegistryAndUploadTest {

    private static final String LAYER = "sha256:" + "ab".repeat(32);
    private static final String LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip";

    @TempDir
    Path dir;
    private final List<String> calls = new CopyOnWriteArrayList<>();
    /** What the fake upload calls received, and how each ended ("completed" or "cancelled"). */
    private final AtomicLong received = new AtomicLong();
    private final CompletableFuture<Void> firstData = new CompletableFuture<>();
    private final CompletableFuture<String> uploadEnd = new CompletableFuture<>();
    private Server server;
    private ManagedChannel channel;
    private DockerApi api;
    private Path socket;

    private final TransferGrpc.TransferImplBase transfer = new TransferGrpc.TransferImplBase() {
        @Override
        public void login(LoginRequest req, StreamObserver<LoginResponse> out) {
            calls.add("login " + req.getServerAddress() + " " + req.getAuth().getUsername() + ":"
                    + req.getAuth().getPassword());
            if (!req.getAuth().getPassword().equals("right")) {
                out.onError(Status.UNAUTHENTICATED.withDescription("login attempt to http://"
                        + req.getServerAddress() + "/v2/ failed with status: 401 Unauthorized").asRuntimeException());
                return;
            }
            out.onNext(LoginResponse.newBuilder().setStatus("Login Succeeded").build());
            out.onCompleted();
        }

        @Override
        public void pull(PullRequest req, StreamObserver<Progress> out) {
            calls.add("pull " + req.getReference() + " auth=" + req.getAuth().getUsername() + ":"
                    + req.getAuth().getPassword());
            out.onNext(Progress.newBuilder().setStatus("done").addImages(Image.newBuilder()
                    .setName(req.getReference()).setTarget(Descriptor.newBuilder().setDigest(LAYER))).build());
            out.onCompleted();
        }

        @Override
        public void push(PushRequest req, StreamObserver<Progress> out) {
            calls.add("push " + req.getImage() + " auth=" + req.getAuth().getUsername() + ":"
                    + req.getAuth().getPassword());
            out.onNext(Progress.newBuilder().setId(LAYER).setStatus("waiting").setMediaType(LAYER_TYPE).build());
            out.onNext(Progress.newBuilder().setId(LAYER).setStatus("uploading").setOffset(3).setTotal(9)
                    .setMediaType(LAYER_TYPE).build());
            out.onNext(Progress.newBuilder().setId(LAYER).setStatus("done").setMediaType(LAYER_TYPE).build());
            if (req.getImage().contains("broken")) {
                out.onError(Status.UNAVAILABLE.withDescription("push " + req.getImage() + ": registry answered 503")
                        .asRuntimeException());
                return;
            }
            out.onNext(Progress.newBuilder().setStatus("done").addImages(Image.newBuilder().setName(req.getImage())
                    .setTarget(Descriptor.newBuilder().setDigest("sha256:" + "cd".repeat(32)).setSize(527))).build());
            out.onCompleted();
        }

        @Override
        public StreamObserver<ImportRequest> import_(StreamObserver<Progress> out) {
            return new Receiver<>(r -> r.hasData() ? r.getData().size() : 0, () -> {
                out.onNext(Progress.newBuilder().addImages(Image.newBuilder()
                        .setName("docker.io/library/loaded:1")).build());
                out.onCompleted();
            });
        }
    };

    private final ContainersGrpc.ContainersImplBase containers = new ContainersGrpc.ContainersImplBase() {
        @Override
        public StreamObserver<ArchiveChunk> archivePut(StreamObserver<Empty> out) {
            return new Receiver<>(c -> {
                if (c.hasTarget()) {
                    calls.add("archive put " + c.getTarget().getId() + " " + c.getTarget().getPath());
                }
                return c.getData().size();
            }, () -> {
                out.onNext(Empty.getDefaultInstance());
                out.onCompleted();
            });
        }
    };

    /** Counts an upload's bytes, notes its first data and how it ended. */
    private final class Receiver<T> implements StreamObserver<T> {
        private final java.util.function.ToIntFunction<T> size;
        private final Runnable answer;

        Receiver(java.util.function.ToIntFunction<T> size, Runnable answer) {
            this.size = size;
            this.answer = answer;
        }

        @Override
        public void onNext(T value) {
            int n = size.applyAsInt(value);
            if (n > 0) {
                received.addAndGet(n);
                firstData.complete(null);
            }
        }

        @Override
        public void onError(Throwable t) {
            uploadEnd.complete("cancelled");
        }

        @Override
        public void onCompleted() {
            uploadEnd.complete("completed");
            answer.run();
        }
    }

    @BeforeEach
    void start() throws IOException {
        String name = "dockerapi-reg-" + UUID.randomUUID();
        server = InProcessServerBuilder.forName(name).addService(transfer).addService(containers).build().start();
        channel = InProcessChannelBuilder.forName(name).build();
        socket = dir.resolve("docker.sock");
        api = DockerApi.serve(socket, channel, "default", new SystemFacts("6.1.0-test", "amd64", "host", dir,
                1L << 30));
    }

    @AfterEach
    void stop() throws IOException, InterruptedException {
        api.close();
        channel.shutdownNow();
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private String[] call(String method, String path, String headers, String body) throws IOException {
        try (HttpConn c = new HttpConn(socket)) {
            c.send(method, path, headers, body.getBytes(StandardCharsets.UTF_8));
            HttpConn.Head h = c.head();
            return new String[] {String.valueOf(h.status()), new String(c.body(h), StandardCharsets.UTF_8)};
        }
    }

    private static String authHeader(String json) {
        return "X-Registry-Auth: " + Base64.getUrlEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8))
                + "\r\n";
    }

    @Test
    void auth_rightPassword_isDockersLoginSucceeded() throws IOException {
        String[] a = call("POST", "/v1.41/auth", "", "{\"username\":\"u\",\"password\":\"right\","
                + "\"serveraddress\":\"127.0.0.1:5000\"}");
        assertEquals("200", a[0], a[1]);
        assertEquals("{\"Status\":\"Login Succeeded\",\"IdentityToken\":\"\"}", a[1]);
        assertEquals(List.of("login 127.0.0.1:5000 u:right"), calls);
    }

    @Test
    void auth_wrongPassword_is401WithTheRegistrysRefusal() throws IOException {
        String[] a = call("POST", "/auth", "", "{\"username\":\"u\",\"password\":\"wrong\","
                + "\"serveraddress\":\"127.0.0.1:5000\"}");
        assertEquals("401", a[0], a[1]);
        assertEquals("{\"message\":\"login attempt to http://127.0.0.1:5000/v2/ failed with status: 401 "
                + "Unauthorized\"}", a[1]);
    }

    @Test
    void auth_withoutUser_is400() throws IOException {
        assertEquals("400", call("POST", "/auth", "", "{\"serveraddress\":\"127.0.0.1:5000\"}")[0]);
    }

    @Test
    void pull_registryAuthHeader_passesTheCredentials() throws IOException {
        call("POST", "/images/create?fromImage=127.0.0.1:5000/app&tag=1",
                authHeader("{\"username\":\"u\",\"password\":\"p w\",\"serveraddress\":\"127.0.0.1:5000\"}"), "");
        String auth = Base64.getEncoder().encodeToString("v:q".getBytes(StandardCharsets.UTF_8));
        call("POST", "/images/create?fromImage=127.0.0.1:5000/app&tag=2", authHeader("{\"auth\":\"" + auth
                + "\"}"), "");
        call("POST", "/images/create?fromImage=127.0.0.1:5000/app&tag=3", "X-Registry-Auth: e30=\r\n", "");
        assertEquals(List.of("pull 127.0.0.1:5000/app:1 auth=u:p w", "pull 127.0.0.1:5000/app:2 auth=v:q",
                "pull 127.0.0.1:5000/app:3 auth=:"), calls);
    }

    @Test
    void pull_malformedRegistryAuth_goesAheadWithoutCredentials() throws IOException {
        assertEquals("200", call("POST", "/images/create?fromImage=app", "X-Registry-Auth: %%%\r\n", "")[0]);
        assertEquals(List.of("pull app:latest auth=:"), calls);
    }

    @Test
    void push_streamsDockersProgressAndTheAuxDigest() throws IOException {
        String[] a = call("POST", "/images/127.0.0.1:5000/app/push?tag=latest",
                authHeader("{\"username\":\"u\",\"password\":\"p\"}"), "");
        assertEquals("200", a[0]);
        assertEquals(List.of("push 127.0.0.1:5000/app:latest auth=u:p"), calls);
        String id = "ab".repeat(6);
        String digest = "sha256:" + "cd".repeat(32);
        assertEquals(List.of(
                "{\"status\":\"The push refers to repository [127.0.0.1:5000/app]\"}",
                "{\"status\":\"Preparing\",\"progressDetail\":{},\"id\":\"" + id + "\"}",
                "{\"status\":\"Pushing\",\"progressDetail\":{\"current\":3,\"total\":9},\"id\":\"" + id + "\"}",
                "{\"status\":\"Pushed\",\"progressDetail\":{},\"id\":\"" + id + "\"}",
                "{\"status\":\"latest: digest: " + digest + " size: 527\"}",
                "{\"progressDetail\":{},\"aux\":{\"Tag\":\"latest\",\"Digest\":\"" + digest + "\",\"Size\":527}}"),
                a[1].lines().toList());
    }

    @Test
    void push_failureAfterTheHeaders_isAnErrorDetailLine() throws IOException {
        String[] a = call("POST", "/images/127.0.0.1:5000/broken/push?tag=1", "", "");
        assertEquals("200", a[0]);
        List<String> lines = a[1].lines().toList();
        assertEquals("{\"errorDetail\":{\"message\":\"push 127.0.0.1:5000/broken:1: registry answered 503\"},"
                + "\"error\":\"push 127.0.0.1:5000/broken:1: registry answered 503\"}", lines.getLast());
    }

    @Test
    void load_bodyReachesTheEngineBeforeItEnds() throws Exception {
        int size = 8 << 20;
        try (HttpConn c = new HttpConn(socket)) {
            c.write("POST /images/load HTTP/1.1\r\nHost: docker\r\nContent-Length: " + size + "\r\n\r\n");
            c.write("x".repeat(size / 2));
            firstData.get(10, TimeUnit.SECONDS); // aggregated, nothing would reach the engine before the end
            c.write("x".repeat(size / 2));
            HttpConn.Head h = c.head();
            assertEquals(200, h.status());
            assertEquals("{\"stream\":\"Loaded image: loaded:1\\n\"}",
                    new String(c.body(h), StandardCharsets.UTF_8).strip());
        }
        assertEquals("completed", uploadEnd.get(10, TimeUnit.SECONDS));
        assertEquals(size, received.get());
    }

    @Test
    void load_bodyCutShort_cancelsTheImport() throws Exception {
        cutShort("POST /images/load");
    }

    @Test
    void archivePut_bodyCutShort_cancelsTheExtraction() throws Exception {
        cutShort("PUT /containers/c1/archive?path=/tmp");
        assertEquals(List.of("archive put c1 /tmp"), calls);
    }

    @Test
    void archivePut_isStreamedAndAnswered200() throws IOException, Exception {
        String[] a = call("PUT", "/v1.41/containers/c1/archive?path=/tmp", "", "y".repeat(3 << 20));
        assertEquals("200", a[0], a[1]);
        assertEquals("completed", uploadEnd.get(10, TimeUnit.SECONDS));
        assertEquals(3 << 20, received.get());
    }

    @Test
    void smallJsonBodies_areStillReadWhole() throws IOException {
        String[] a = call("POST", "/auth", "", "{\"username\":\"u\",\"password\":\"right\"}");
        assertEquals("200", a[0], a[1]);
    }

    /** Half of a declared body, then the client goes away: the engine call must end cancelled, not completed. */
    private void cutShort(String requestLine) throws Exception {
        int size = 4 << 20;
        try (HttpConn c = new HttpConn(socket)) {
            c.write(requestLine + " HTTP/1.1\r\nHost: docker\r\nContent-Length: " + size + "\r\n\r\n");
            c.write("x".repeat(size / 2));
            firstData.get(10, TimeUnit.SECONDS);
        }
        assertEquals("cancelled", uploadEnd.get(10, TimeUnit.SECONDS));
        assertTrue(received.get() < size, "received " + received.get());
    }
}
