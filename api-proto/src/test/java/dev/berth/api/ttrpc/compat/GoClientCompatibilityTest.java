package dev.berth.api.ttrpc.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.Code;
import dev.berth.api.runtime.task.v2.StateRequest;
import dev.berth.api.runtime.task.v2.StateResponse;
import dev.berth.api.ttrpc.CallContext;
import dev.berth.api.ttrpc.Metadata;
import dev.berth.api.ttrpc.TtrpcClient;
import dev.berth.api.ttrpc.TtrpcException;
import dev.berth.api.ttrpc.TtrpcServer;
import dev.berth.api.ttrpc.TtrpcService;
import dev.berth.api.types.task.Status;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TtrpcServer serving a fake {@code containerd.task.v2.Task/State}, called by TtrpcClient and by a Go ttrpc client:
 * containerd 1.6's {@code ctr shim --id ID state}, which dials the shim socket that containerd would have started,
 * {@code /run/containerd/s/<sha256(address/namespace/id)>}, and calls State on it.
 */
class GoClientCompatibilityTest {
    private static final Path CTR = Path.of("/usr/bin/ctr");
    private static final String NAMESPACE = "berthtest";

    @TempDir Path dir;

    private final AtomicReference<CallContext> lastCall = new AtomicReference<>();
    private TtrpcServer server;
    private String id;
    private Path containerdAddress;
    private Path socket;

    @BeforeEach
    void start() throws IOException {
        id = "berth-ttrpc-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        containerdAddress = dir.resolve("containerd.sock"); // only hashed into the socket name; nothing listens there
        server = new TtrpcServer(TtrpcService.builder("containerd.task.v2.Task")
                .unary("State", StateRequest.parser(), this::state)
                .build());
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown(Duration.ofSeconds(1));
    }

    private StateResponse state(CallContext context, StateRequest request) {
        lastCall.set(context);
        if (!request.getId().equals(id)) {
            throw BerthException.notFound("container " + request.getId() + ": not found");
        }
        return StateResponse.newBuilder()
                .setId(id)
                .setBundle("/run/berth/bundles/" + id)
                .setPid(4242)
                .setStatus(Status.RUNNING)
                .build();
    }

    @Test
    void state_typedJavaClient() throws IOException {
        Path path = dir.resolve("task.sock");
        server.listen(path);
        try (TtrpcClient client = TtrpcClient.connect(path)) {
            StateResponse state = client.call("containerd.task.v2.Task", "State", StateRequest.newBuilder().setId(id).build(),
                    StateResponse.parser(), Metadata.namespace(NAMESPACE), Duration.ofSeconds(5));
            assertEquals(4242, state.getPid());
            assertEquals(Status.RUNNING, state.getStatus());
            assertEquals(NAMESPACE, lastCall.get().namespace().orElseThrow());
            TtrpcException e = assertThrows(TtrpcException.class, () -> client.call("containerd.task.v2.Task", "State",
                    StateRequest.newBuilder().setId("other").build(), StateResponse.parser(), Metadata.empty(),
                    Duration.ofSeconds(5)));
            assertEquals(Code.NOT_FOUND, e.code());
            assertEquals("container other: not found", e.getMessage());
        }
    }

    @Test
    void state_goClient_ctrShimState() throws Exception {
        assumeTrue(Files.isExecutable(CTR), "ctr is not installed (Debian: containerd)");
        assumeTrue("root".equals(System.getProperty("user.name")), "a mount namespace for ctr needs root");
        listenWhereCtrLooks();

        CtrResult found = ctrShim(id, "state");
        assertEquals(0, found.exit(), found.toString());
        assertTrue(found.stdout().contains("\"id\": \"" + id + "\""), found.stdout());
        assertTrue(found.stdout().contains("\"pid\": 4242"), found.stdout());
        assertTrue(found.stdout().contains("\"status\": 2"), found.stdout()); // RUNNING
        assertEquals("containerd.task.v2.Task/State", lastCall.get().service() + "/" + lastCall.get().method());
    }

    @Test
    void state_goClient_seesStatusCodeAndMessage() throws Exception {
        assumeTrue(Files.isExecutable(CTR), "ctr is not installed (Debian: containerd)");
        assumeTrue("root".equals(System.getProperty("user.name")), "a mount namespace for ctr needs root");
        // ctr dials the socket named after the id it is given, and asks State for that same id: serve "missing"'s
        // socket without knowing the container, so that State answers NotFound.
        String missing = id;
        id = id + "-known-elsewhere";
        listenAt(socketFor(missing));

        CtrResult notFound = ctrShim(missing, "state");
        assertNotEquals(0, notFound.exit(), notFound.toString());
        // Go: status.Error -> "rpc error: code = NotFound desc = <message>"
        assertTrue(notFound.stderr().contains("code = NotFound desc = container " + missing + ": not found"),
                notFound.stderr());

        CtrResult unimplemented = ctrShim(missing, "delete");
        assertNotEquals(0, unimplemented.exit(), unimplemented.toString());
        assertTrue(unimplemented.stderr().contains("code = Unimplemented desc = method Delete"), unimplemented.stderr());
    }

    private void listenWhereCtrLooks() throws IOException, NoSuchAlgorithmException {
        listenAt(socketFor(id));
    }

    private void listenAt(Path path) throws IOException {
        Files.createDirectories(path.getParent());
        server.listen(path);
        socket = path;
    }

    /**
     * containerd's shim.SocketAddress: sha256 of filepath.Join(address, namespace, id), which ctr looks for under
     * /run/containerd/s. The test serves it from its own directory, which ctr sees there from inside a mount namespace
     * of its own: the host's /run/containerd is never touched.
     */
    private Path socketFor(String containerId) throws NoSuchAlgorithmException {
        String joined = containerdAddress + "/" + NAMESPACE + "/" + containerId;
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(joined.getBytes(StandardCharsets.UTF_8));
        return dir.resolve("s").resolve(HexFormat.of().formatHex(hash));
    }

    private record CtrResult(int exit, String stdout, String stderr) {}

    private CtrResult ctrShim(String containerId, String verb) throws IOException, InterruptedException {
        Path err = dir.resolve("ctr.stderr");
        Process ctr = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "sh", "-c",
                "mount -t tmpfs berth-ttrpc-test /run && mkdir -p /run/containerd/s && mount --bind \"$0\" /run/containerd/s"
                        + " && exec \"$@\"", dir.resolve("s").toString(),
                CTR.toString(), "--address", containerdAddress.toString(), "--namespace", NAMESPACE, "shim", "--id",
                containerId, verb)
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        String out;
        try (InputStream in = ctr.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!ctr.waitFor(20, TimeUnit.SECONDS)) {
            ctr.destroyForcibly();
            throw new AssertionError("ctr shim " + verb + " did not finish within 20s; socket " + socket);
        }
        return new CtrResult(ctr.exitValue(), out, Files.readString(err));
    }
}
