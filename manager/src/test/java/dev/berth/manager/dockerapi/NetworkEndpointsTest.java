package dev.berth.manager.dockerapi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import dev.berth.api.services.engine.v1.ConnectNetworkRequest;
import dev.berth.api.services.engine.v1.DisconnectNetworkRequest;
import dev.berth.api.services.engine.v1.Empty;
import dev.berth.api.services.engine.v1.JsonDocument;
import dev.berth.api.services.engine.v1.ListNetworksRequest;
import dev.berth.api.services.engine.v1.NetworkRef;
import dev.berth.api.services.engine.v1.NetworksGrpc;
import dev.berth.api.services.engine.v1.PruneRequest;
import dev.berth.api.services.engine.v1.PruneResponse;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /networks…} over a fake Networks service: what each route sends to the engine and docker's answers and
 * status codes (201 with {@code Id} and {@code Warning}, 409 for a duplicate or a network in use, 403 for removing
 * a built-in, 404 for an unknown network).
 */
class NetworkEndpointsTest {

    @TempDir
    Path dir;
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private Server server;
    private ManagedChannel channel;
    private DockerApi api;
    private Path socket;

    /** Networks {@code bridge} (built-in), {@code busy} (containers attached) and {@code free}; others unknown. */
    private final NetworksGrpc.NetworksImplBase networks = new NetworksGrpc.NetworksImplBase() {
        @Override
        public void create(JsonDocument req, StreamObserver<JsonDocument> out) {
            String body = req.getJson().toStringUtf8();
            calls.add("create " + body);
            if (body.contains("\"Name\":\"free\"")) {
                out.onError(Status.ALREADY_EXISTS.withDescription("network with name free already exists")
                        .asRuntimeException());
                return;
            }
            reply(out, "{\"Id\":\"" + "ab".repeat(32) + "\",\"Warning\":\"\"}");
        }

        @Override
        public void inspect(NetworkRef req, StreamObserver<JsonDocument> out) {
            if (!List.of("bridge", "busy", "free").contains(req.getId())) {
                out.onError(Status.NOT_FOUND.withDescription("network " + req.getId() + " not found")
                        .asRuntimeException());
                return;
            }
            reply(out, "{\"Name\":\"" + req.getId() + "\",\"Options\":{\"mtu\":\"1400\"},\"Containers\":{}}");
        }

        @Override
        public void list(ListNetworksRequest req, StreamObserver<JsonDocument> out) {
            calls.add("list " + req.getFiltersMap().entrySet().stream()
                    .map(e -> e.getKey() + ":" + e.getValue().getValuesList()).sorted().toList());
            reply(out, "[]");
        }

        @Override
        public void remove(NetworkRef req, StreamObserver<Empty> out) {
            calls.add("remove " + req.getId());
            if (req.getId().equals("busy")) {
                out.onError(Status.FAILED_PRECONDITION.withDescription("error while removing network: network busy "
                        + "id 1 has active endpoints").asRuntimeException());
                return;
            }
            out.onNext(Empty.getDefaultInstance());
            out.onCompleted();
        }

        @Override
        public void prune(PruneRequest req, StreamObserver<PruneResponse> out) {
            calls.add("prune " + req.getFiltersMap().keySet());
            out.onNext(PruneResponse.newBuilder().addDeleted("free").build());
            out.onCompleted();
        }

        @Override
        public void connect(ConnectNetworkRequest req, StreamObserver<Empty> out) {
            calls.add("connect " + req.getNetwork() + " " + req.getContainer() + " "
                    + req.getEndpointConfig().toStringUtf8());
            out.onNext(Empty.getDefaultInstance());
            out.onCompleted();
        }

        @Override
        public void disconnect(DisconnectNetworkRequest req, StreamObserver<Empty> out) {
            calls.add("disconnect " + req.getNetwork() + " " + req.getContainer() + " force=" + req.getForce());
            out.onNext(Empty.getDefaultInstance());
            out.onCompleted();
        }

        private static void reply(StreamObserver<JsonDocument> out, String json) {
            out.onNext(JsonDocument.newBuilder().setJson(ByteString.copyFromUtf8(json)).build());
            out.onCompleted();
        }
    };

    @BeforeEach
    void start() throws IOException {
        String name = "dockerapi-networks-" + UUID.randomUUID();
        server = InProcessServerBuilder.forName(name).addService(networks).build().start();
        channel = InProcessChannelBuilder.forName(name).build();
        socket = dir.resolve("docker.sock");
        api = DockerApi.serve(socket, channel, "default", new SystemFacts("6.1.0-test", "amd64", "host", dir, 1L << 30));
    }

    @AfterEach
    void stop() throws IOException, InterruptedException {
        api.close();
        channel.shutdownNow();
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private record Answer(int status, String body) {
    }

    private Answer call(String method, String path, String body) throws IOException {
        try (HttpConn c = new HttpConn(socket)) {
            c.send(method, path, "", body.getBytes(StandardCharsets.UTF_8));
            HttpConn.Head h = c.head();
            return new Answer(h.status(), new String(c.body(h), StandardCharsets.UTF_8));
        }
    }

    @Test
    void create_passesTheRequestAsGiven_andAnswersIdAndWarning() throws IOException {
        String body = "{\"Name\":\"app\",\"CheckDuplicate\":true,\"Driver\":\"bridge\",\"Internal\":true,"
                + "\"Attachable\":true,\"Labels\":{\"a\":\"b\"},\"Options\":{\"com.example\":\"x y\"},"
                + "\"IPAM\":{\"Driver\":\"default\",\"Config\":[{\"Subnet\":\"10.7.0.0/24\",\"Gateway\":\"10.7.0.1\","
                + "\"IPRange\":\"10.7.0.128/25\"}]}}";
        Answer a = call("POST", "/v1.41/networks/create", body);
        assertEquals(201, a.status());
        assertEquals("{\"Id\":\"" + "ab".repeat(32) + "\",\"Warning\":\"\"}", a.body());
        assertEquals("create " + body, calls.getFirst());
    }

    @Test
    void create_ofATakenName_isDockers409_andWithoutName400() throws IOException {
        Answer taken = call("POST", "/networks/create", "{\"Name\":\"free\",\"CheckDuplicate\":true}");
        assertEquals(409, taken.status());
        assertEquals("{\"message\":\"network with name free already exists\"}", taken.body());
        assertEquals(400, call("POST", "/networks/create", "{\"Driver\":\"bridge\"}").status());
    }

    @Test
    void list_readsFiltersInBothShapes() throws IOException {
        assertEquals(200, call("GET", "/networks?filters=%7B%22label%22%3A%7B%22a%3Db%22%3Atrue%7D%2C%22type%22%3A"
                + "%7B%22custom%22%3Atrue%7D%7D", "").status());
        assertEquals(200, call("GET", "/networks?filters=%7B%22label%22%3A%5B%22a%3Db%22%5D%2C%22type%22%3A%5B"
                + "%22custom%22%5D%7D", "").status());
        assertEquals("list [label:[a=b], type:[custom]]", calls.get(0));
        assertEquals(calls.get(0), calls.get(1));
    }

    @Test
    void inspect_isTheEnginesDocument_and404ForAnUnknownNetwork() throws IOException {
        Answer a = call("GET", "/networks/free", "");
        assertEquals(200, a.status());
        assertEquals("{\"Name\":\"free\",\"Options\":{\"mtu\":\"1400\"},\"Containers\":{}}", a.body());
        Answer unknown = call("GET", "/networks/nope", "");
        assertEquals(404, unknown.status());
        assertEquals("{\"message\":\"network nope not found\"}", unknown.body());
    }

    @Test
    void delete_isForbiddenForBuiltIns_aConflictWhileInUse_and204Otherwise() throws IOException {
        Answer builtIn = call("DELETE", "/networks/bridge", "");
        assertEquals(403, builtIn.status());
        assertEquals("{\"message\":\"bridge is a pre-defined network and cannot be removed\"}", builtIn.body());
        assertEquals(409, call("DELETE", "/networks/busy", "").status());
        assertEquals(204, call("DELETE", "/networks/free", "").status());
        assertEquals(404, call("DELETE", "/networks/nope", "").status());
        assertEquals(List.of("remove busy", "remove free"), calls);
    }

    @Test
    void connectAndDisconnect_sendTheContainerTheEndpointAndForce() throws IOException {
        assertEquals(200, call("POST", "/networks/free/connect", "{\"Container\":\"web\",\"EndpointConfig\":"
                + "{\"Aliases\":[\"www\"],\"IPAMConfig\":{\"IPv4Address\":\"10.7.0.9\"}}}").status());
        assertEquals(200, call("POST", "/networks/free/connect", "{\"Container\":\"db\"}").status());
        assertEquals(200, call("POST", "/networks/free/disconnect", "{\"Container\":\"web\",\"Force\":true}")
                .status());
        assertEquals(400, call("POST", "/networks/free/disconnect", "{}").status());
        assertEquals(List.of("connect free web {\"Aliases\":[\"www\"],\"IPAMConfig\":{\"IPv4Address\":\"10.7.0.9\"}}",
                "connect free db ", "disconnect free web force=true"), calls);
    }

    @Test
    void prune_answersTheDeletedNetworks() throws IOException {
        Answer a = call("POST", "/networks/prune?filters=%7B%22label%22%3A%5B%22a%22%5D%7D", "");
        assertEquals(200, a.status());
        assertEquals("{\"NetworksDeleted\":[\"free\"]}", a.body());
        assertEquals(List.of("prune [label]"), calls);
    }
}
