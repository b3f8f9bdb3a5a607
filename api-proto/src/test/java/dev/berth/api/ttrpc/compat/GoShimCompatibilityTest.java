package dev.berth.api.ttrpc.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.Empty;
import dev.berth.api.errdefs.Code;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.api.runtime.task.v2.ConnectRequest;
import dev.berth.api.runtime.task.v2.ConnectResponse;
import dev.berth.api.runtime.task.v2.ShutdownRequest;
import dev.berth.api.runtime.task.v2.StateRequest;
import dev.berth.api.runtime.task.v2.StateResponse;
import dev.berth.api.ttrpc.Metadata;
import dev.berth.api.ttrpc.TtrpcClient;
import dev.berth.api.ttrpc.TtrpcException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TtrpcClient against containerd's own shim, written in Go with containerd's ttrpc: proves framing, the
 * Request/Response envelopes, metadata and the status mapping on the wire that real containerd uses.
 */
class GoShimCompatibilityTest {
    private static final String TASK = "containerd.task.v2.Task";
    private static final String NAMESPACE = "berthtest";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Metadata METADATA = Metadata.namespace(NAMESPACE);

    @TempDir Path bundle;

    @BeforeEach
    void requireShim() {
        assumeTrue(Files.isExecutable(GoShim.BINARY), "containerd-shim-runc-v2 is not installed (Debian: containerd)");
        assumeTrue("root".equals(System.getProperty("user.name")), "the shim runs in a mount namespace of its own: root");
    }

    private static String uniqueId() {
        return "berth-ttrpc-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    }

    @Test
    void taskService_connectStateShutdown_overGoTtrpc() throws Exception {
        String id = uniqueId();
        try (GoShim shim = GoShim.start(bundle, NAMESPACE, id, Optional.empty());
                TtrpcClient client = TtrpcClient.connect(shim.socket())) {
            ConnectResponse connect = client.call(TASK, "Connect", ConnectRequest.newBuilder().setId(id).build(),
                    ConnectResponse.parser(), METADATA, TIMEOUT);
            long shimPid = Integer.toUnsignedLong(connect.getShimPid());
            assertTrue(shimPid > 1, "the shim reports its pid: " + connect);
            assertEquals(0, connect.getTaskPid(), "no task was created");

            // The Go shim's getContainer: errdefs.ToGRPCf(errdefs.ErrNotFound, "container not created")
            TtrpcException notFound = assertThrows(TtrpcException.class, () -> client.call(TASK, "State",
                    StateRequest.newBuilder().setId("does-not-exist").build(), StateResponse.parser(), METADATA, TIMEOUT));
            assertEquals(Code.NOT_FOUND, notFound.code());
            assertEquals(ErrorKind.NOT_FOUND, notFound.kind());
            assertEquals("container not created: not found", notFound.getMessage());

            // Go's ttrpc serviceSet.resolve: Unimplemented "method X" / "service X"
            TtrpcException noMethod = assertThrows(TtrpcException.class,
                    () -> client.call(TASK, "NoSuchMethod", new byte[0], METADATA, TIMEOUT));
            assertEquals(Code.UNIMPLEMENTED, noMethod.code());
            assertEquals("method NoSuchMethod", noMethod.getMessage());
            TtrpcException noService = assertThrows(TtrpcException.class,
                    () -> client.call("berth.NoSuchService", "State", new byte[0], METADATA, TIMEOUT));
            assertEquals(Code.UNIMPLEMENTED, noService.code());
            assertEquals("service berth.NoSuchService", noService.getMessage());

            shutdown(client, id);
            shim.awaitExit(shimPid, Duration.ofSeconds(10));
            assertTrue(Files.notExists(shim.socket()), "the shim removes its socket on exit");
            assertTrue(shim.awaitLog("starting signal loop", Duration.ofSeconds(5)), "the serving shim logs: " + shim.log());
        }
    }

    @Test
    void taskService_concurrentCalls_overGoTtrpc() throws Exception {
        String id = uniqueId();
        try (GoShim shim = GoShim.start(bundle, NAMESPACE, id, Optional.empty());
                TtrpcClient client = TtrpcClient.connect(shim.socket())) {
            long shimPid = Integer.toUnsignedLong(client.call(TASK, "Connect", ConnectRequest.newBuilder().setId(id)
                    .build(), ConnectResponse.parser(), METADATA, TIMEOUT).getShimPid());
            Thread[] threads = new Thread[8];
            Throwable[] failures = new Throwable[threads.length];
            for (int t = 0; t < threads.length; t++) {
                int index = t;
                threads[t] = Thread.ofVirtual().start(() -> {
                    try {
                        for (int i = 0; i < 25; i++) {
                            ConnectResponse response = client.call(TASK, "Connect", ConnectRequest.newBuilder().setId(id).build(),
                                    ConnectResponse.parser(), METADATA, TIMEOUT);
                            assertEquals(shimPid, Integer.toUnsignedLong(response.getShimPid()));
                        }
                    } catch (TtrpcException | AssertionError e) {
                        failures[index] = e;
                    }
                });
            }
            for (int t = 0; t < threads.length; t++) {
                threads[t].join(Duration.ofSeconds(30));
                if (failures[t] != null) {
                    throw new AssertionError("caller " + t + " failed", failures[t]);
                }
            }
            shutdown(client, id);
            shim.awaitExit(shimPid, Duration.ofSeconds(10));
        }
    }

    /** Shutdown ends the shim, which may close the connection before its answer arrives; containerd ignores that. */
    static void shutdown(TtrpcClient client, String id) {
        try {
            client.call(TASK, "Shutdown", ShutdownRequest.newBuilder().setId(id).build(), Empty.parser(), METADATA,
                    TIMEOUT);
        } catch (TtrpcException e) {
            assertEquals(Code.UNAVAILABLE, e.code(), "shutdown: " + e);
        }
    }
}
