package dev.berth.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
import dev.berth.cli.client.CliException;
import dev.berth.client.Berth;
import dev.berth.model.DockerJson;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code berth network} with docker's flags and output, over the client library's {@code networks()} against a fake
 * of berthd's Networks service that records what it was sent.
 */
class NetworkCommandTest {

    private static final String FRONT_ID = "f".repeat(64);
    private static final String BRIDGE_ID = "b".repeat(64);

    @TempDir
    Path dir;
    private final List<Object> requests = new CopyOnWriteArrayList<>();
    private EventLoopGroup group;
    private Server server;
    private Berth berth;
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private PrintStream savedOut;
    private PrintStream savedErr;

    @BeforeEach
    void serve() throws Exception {
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        Path socket = dir.resolve("b.sock");
        server = NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .channelType(EpollServerDomainSocketChannel.class).bossEventLoopGroup(group)
                .workerEventLoopGroup(group).addService(new FakeNetworks()).build().start();
        berth = Berth.connect(socket, "default");
        savedOut = System.out;
        savedErr = System.err;
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() throws Exception {
        System.setOut(savedOut);
        System.setErr(savedErr);
        berth.close();
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    /** Parses {@code args} as picocli does for the verb, then runs it against the fake. */
    private <C extends BaseCommand> int run(C command, String... args) throws Exception {
        new CommandLine(command).parseArgs(args);
        return command.run(berth);
    }

    private String out() {
        return stdout.toString(StandardCharsets.UTF_8);
    }

    @Test
    void create_dockersFlags_becomeTheNetworkCreateDocument_andTheIdIsPrinted() throws Exception {
        int status = run(new NetworkCommand.CreateCommand(), "--driver", "bridge", "--subnet", "10.9.0.0/24",
                "--gateway", "10.9.0.254", "--ip-range", "10.9.0.128/25", "--internal", "--label", "tier=front",
                "--label", "solo", "-o", "mtu=1400", "--opt", "masquerade=false", "front");

        assertEquals(0, status);
        assertEquals(FRONT_ID + "\n", out());
        JsonNode sent = (JsonNode) requests.getFirst();
        assertEquals("front", sent.path("Name").asText());
        assertEquals("bridge", sent.path("Driver").asText());
        assertTrue(sent.path("Internal").asBoolean(), sent.toString());
        JsonNode ipam = sent.path("IPAM").path("Config").path(0);
        assertEquals("10.9.0.0/24", ipam.path("Subnet").asText());
        assertEquals("10.9.0.254", ipam.path("Gateway").asText());
        assertEquals("10.9.0.128/25", ipam.path("IPRange").asText());
        assertEquals("front", sent.path("Labels").path("tier").asText());
        assertEquals("", sent.path("Labels").path("solo").asText());
        assertEquals("1400", sent.path("Options").path("mtu").asText());
        assertEquals("false", sent.path("Options").path("masquerade").asText());
    }

    @Test
    void create_gatewayWithoutSubnet_isDockersClientError() {
        CliException e = assertThrows(CliException.class, () -> run(new NetworkCommand.CreateCommand(),
                "--gateway", "10.9.0.1", "lan"));
        assertEquals("every ip-range or gateway must have a corresponding subnet", e.getMessage());
        assertTrue(requests.isEmpty());
    }

    @Test
    void ls_printsDockersTableSortedByName_withTruncatedIds() throws Exception {
        assertEquals(0, run(new NetworkCommand.LsCommand()));
        assertEquals(List.of("NETWORK ID     NAME      DRIVER    SCOPE",
                "bbbbbbbbbbbb   bridge    bridge    local",
                "ffffffffffff   front     bridge    local"), out().lines().toList());
    }

    @Test
    void ls_quietNoTruncAndFilter_printFullIdsAndSendTheFilter() throws Exception {
        assertEquals(0, run(new NetworkCommand.LsCommand(), "-q", "--no-trunc", "--filter", "driver=bridge",
                "-f", "name=fr"));
        assertEquals(BRIDGE_ID + "\n" + FRONT_ID + "\n", out());
        ListNetworksRequest sent = (ListNetworksRequest) requests.getFirst();
        assertEquals(List.of("bridge"), sent.getFiltersMap().get("driver").getValuesList());
        assertEquals(List.of("fr"), sent.getFiltersMap().get("name").getValuesList());
    }

    @Test
    void ls_format_rendersEachRow() throws Exception {
        assertEquals(0, run(new NetworkCommand.LsCommand(), "--format", "{{.Name}}:{{.Driver}}:{{.Label \"tier\"}}"));
        assertEquals("bridge:bridge:\nfront:bridge:front\n", out());
    }

    @Test
    void inspect_unknownNetwork_isDockersErrorAndExit1_afterTheKnownOnes() throws Exception {
        int status = run(new NetworkCommand.InspectCommand(), "front", "nosuch");
        assertEquals(1, status);
        assertTrue(stderr.toString(StandardCharsets.UTF_8).endsWith("Error: No such network: nosuch\n"));
        JsonNode printed = DockerJson.mapper().readTree(out());
        assertEquals("front", printed.path(0).path("Name").asText());
        assertEquals(1, printed.size());
    }

    @Test
    void rm_builtin_printsTheDaemonsRefusalAndExits1_butRemovesTheOthers() throws Exception {
        int status = run(new NetworkCommand.RmCommand(), "bridge", "front");
        assertEquals(1, status);
        assertEquals("front\n", out());
        assertTrue(stderr.toString(StandardCharsets.UTF_8).endsWith("Error response from daemon: bridge is a "
                + "pre-defined network and cannot be removed\n"), stderr.toString(StandardCharsets.UTF_8));
    }

    @Test
    void prune_force_listsTheDeletedNetworks() throws Exception {
        assertEquals(0, run(new NetworkCommand.PruneCommand(), "-f"));
        assertEquals("Deleted Networks:\nfront\n\n", out());
    }

    @Test
    void connect_aliasAndIp_areTheEndpointSettings() throws Exception {
        assertEquals(0, run(new NetworkCommand.ConnectCommand(), "--alias", "web", "--alias", "www", "--ip",
                "10.9.0.10", "front", "c1"));
        ConnectNetworkRequest sent = (ConnectNetworkRequest) requests.getFirst();
        assertEquals("front", sent.getNetwork());
        assertEquals("c1", sent.getContainer());
        JsonNode endpoint = DockerJson.mapper().readTree(sent.getEndpointConfig().toByteArray());
        assertEquals("[\"web\",\"www\"]", endpoint.path("Aliases").toString());
        assertEquals("10.9.0.10", endpoint.path("IPAMConfig").path("IPv4Address").asText());
    }

    @Test
    void disconnect_force_isSent() throws Exception {
        assertEquals(0, run(new NetworkCommand.DisconnectCommand(), "-f", "front", "c1"));
        DisconnectNetworkRequest sent = (DisconnectNetworkRequest) requests.getFirst();
        assertTrue(sent.getForce());
        assertEquals("front", sent.getNetwork());
        assertEquals("c1", sent.getContainer());
    }

    @Test
    void help_ofTheManagementVerb_listsItsSubcommands() {
        java.io.StringWriter usage = new java.io.StringWriter();
        CommandLine cli = new CommandLine(new NetworkCommand());
        cli.setOut(new java.io.PrintWriter(usage));
        assertEquals(0, cli.execute("--help"));
        for (String verb : List.of("create", "ls", "inspect", "rm", "prune", "connect", "disconnect")) {
            assertTrue(usage.toString().contains("  " + verb), usage.toString());
        }
    }

    private static Map<String, Object> network(String name, String id, Map<String, String> labels) {
        return Map.of("Name", name, "Id", id, "Driver", "bridge", "Scope", "local", "Labels", labels);
    }

    private static JsonDocument json(Object value) {
        return JsonDocument.newBuilder().setJson(ByteString.copyFrom(DockerJson.write(value))).build();
    }

    private final class FakeNetworks extends NetworksGrpc.NetworksImplBase {
        @Override
        public void create(JsonDocument req, StreamObserver<JsonDocument> response) {
            requests.add(DockerJson.read(req.getJson().toByteArray(), JsonNode.class, "create"));
            response.onNext(json(Map.of("Id", FRONT_ID, "Warning", "")));
            response.onCompleted();
        }

        @Override
        public void list(ListNetworksRequest req, StreamObserver<JsonDocument> response) {
            requests.add(req);
            response.onNext(json(List.of(network("front", FRONT_ID, Map.of("tier", "front")),
                    network("bridge", BRIDGE_ID, Map.of()))));
            response.onCompleted();
        }

        @Override
        public void inspect(NetworkRef req, StreamObserver<JsonDocument> response) {
            if (!req.getId().equals("front")) {
                response.onError(Status.NOT_FOUND.withDescription("network " + req.getId() + " not found")
                        .asRuntimeException());
                return;
            }
            response.onNext(json(network("front", FRONT_ID, Map.of())));
            response.onCompleted();
        }

        @Override
        public void remove(NetworkRef req, StreamObserver<Empty> response) {
            if (req.getId().equals("bridge")) {
                response.onError(Status.FAILED_PRECONDITION
                        .withDescription("bridge is a pre-defined network and cannot be removed").asRuntimeException());
                return;
            }
            response.onNext(Empty.getDefaultInstance());
            response.onCompleted();
        }

        @Override
        public void prune(PruneRequest req, StreamObserver<PruneResponse> response) {
            response.onNext(PruneResponse.newBuilder().addDeleted("front").build());
            response.onCompleted();
        }

        @Override
        public void connect(ConnectNetworkRequest req, StreamObserver<Empty> response) {
            requests.add(req);
            response.onNext(Empty.getDefaultInstance());
            response.onCompleted();
        }

        @Override
        public void disconnect(DisconnectNetworkRequest req, StreamObserver<Empty> response) {
            requests.add(req);
            response.onNext(Empty.getDefaultInstance());
            response.onCompleted();
        }
    }
}
