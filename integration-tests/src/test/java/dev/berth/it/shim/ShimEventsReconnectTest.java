package dev.berth.it.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Empty;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import dev.berth.api.events.TaskExit;
import dev.berth.api.runtime.task.v2.ConnectRequest;
import dev.berth.api.runtime.task.v2.ConnectResponse;
import dev.berth.api.runtime.task.v2.CreateTaskRequest;
import dev.berth.api.runtime.task.v2.CreateTaskResponse;
import dev.berth.api.runtime.task.v2.DeleteRequest;
import dev.berth.api.runtime.task.v2.DeleteResponse;
import dev.berth.api.runtime.task.v2.KillRequest;
import dev.berth.api.runtime.task.v2.ShutdownRequest;
import dev.berth.api.runtime.task.v2.StartRequest;
import dev.berth.api.runtime.task.v2.StartResponse;
import dev.berth.api.runtime.task.v2.WaitRequest;
import dev.berth.api.runtime.task.v2.WaitResponse;
import dev.berth.api.services.ttrpc.events.v1.Envelope;
import dev.berth.api.services.ttrpc.events.v1.ForwardRequest;
import dev.berth.api.ttrpc.Metadata;
import dev.berth.api.ttrpc.TtrpcClient;
import dev.berth.api.ttrpc.TtrpcException;
import dev.berth.api.ttrpc.TtrpcServer;
import dev.berth.api.ttrpc.TtrpcService;
import dev.berth.it.support.Bundle;
import dev.berth.it.support.CgroupFs;
import dev.berth.it.support.Wait;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * berth-shim while its containerd is away: a fake events service on {@code TTRPC_ADDRESS} is stopped and started
 * again, and the client reconnects to the shim's socket, as after a containerd restart. Events published meanwhile
 * arrive once each, in order, and {@code Wait} answers on the new connection.
 */
class ShimEventsReconnectTest {
    private static final String TASK = "containerd.task.v2.Task";
    private static final Duration CALL = Duration.ofSeconds(30);

    private Path tmp;
    private String namespace;
    private String id;
    private Bundle bundle;
    private Path eventsSocket;
    private TtrpcServer events;
    private final List<Envelope> delivered = new CopyOnWriteArrayList<>();
    private TtrpcClient shim;
    private long shimPid;

    @BeforeEach
    void startShim() throws Exception {
        tmp = Files.createTempDirectory(Path.of("/tmp"), "bev-");
        namespace = "berth-it-" + ContainerdFixture.random();
        id = "it-" + ContainerdFixture.random();
        bundle = Bundle.create(tmp.resolve("bundle"), "/" + namespace + "/" + id).args("sleep", "300").writeConfig();
        eventsSocket = tmp.resolve("ev.sock");
        events = startEvents();

        Path repo = Path.of(System.getProperty("berth.it.repo", "..")).toAbsolutePath().normalize();
        ProcessBuilder pb = new ProcessBuilder(repo.resolve("bin/berth-shim").toString(), "-namespace", namespace,
                "-address", tmp.resolve("containerd.sock").toString(), "-publish-binary", "/bin/true", "-id", id,
                "start").directory(bundle.dir().toFile()).redirectErrorStream(true);
        pb.environment().put("TTRPC_ADDRESS", eventsSocket.toString());
        Process start = pb.start();
        start.getOutputStream().close();
        String out = new String(start.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(start.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, start.exitValue(), out);
        shim = connect();
        shimPid = call("Connect", ConnectRequest.newBuilder().setId(id).build(), ConnectResponse.parser())
                .getShimPid();
    }

    @AfterEach
    void stopShim() throws Exception {
        try {
            if (shim != null) {
                shim.close();
            }
            if (shimPid != 0) {
                Wait.until("shim " + shimPid + " exited", Duration.ofSeconds(10),
                        () -> ProcessHandle.of(shimPid).map(p -> !p.isAlive()).orElse(true));
            }
        } finally {
            if (shimPid != 0) {
                ProcessHandle.of(shimPid).ifPresent(ProcessHandle::destroyForcibly);
            }
            if (events != null) {
                events.close();
            }
            CgroupFs.removeLeftovers("/" + namespace);
            try (Stream<Path> walk = Files.walk(tmp)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Test
    void exitWhileContainerdAway_eventDeliveredOnceAfterReturn_waitAnswersOnNewConnection() throws Exception {
        int pid = call("Create", CreateTaskRequest.newBuilder().setId(id).setBundle(bundle.dir().toString()).build(),
                CreateTaskResponse.parser()).getPid();
        assertEquals(pid, call("Start", StartRequest.newBuilder().setId(id).build(), StartResponse.parser()).getPid());
        Wait.until("create and start delivered", Duration.ofSeconds(10), () -> delivered.size() >= 2);

        // containerd goes away: its events service stops and its connection to the shim breaks, mid-Wait
        Thread pendingWait = Thread.ofVirtual().start(() -> shimWaitIgnoringFailure(shim));
        events.close();
        events = null;
        shim.close();
        pendingWait.join(Duration.ofSeconds(10).toMillis());

        shim = connect();
        call("Kill", KillRequest.newBuilder().setId(id).setSignal(9).build(), Empty.parser());
        WaitResponse exit = call("Wait", WaitRequest.newBuilder().setId(id).build(), WaitResponse.parser());
        assertEquals(137, exit.getExitStatus());
        Wait.sleep(Duration.ofMillis(500));
        assertEquals(2, delivered.size(), "nothing delivered while the events service is away: " + topics());

        events = startEvents();
        Wait.until("exit delivered", Duration.ofSeconds(15), () -> delivered.size() >= 3);
        DeleteResponse deleted = call("Delete", DeleteRequest.newBuilder().setId(id).build(),
                DeleteResponse.parser());
        assertEquals(137, deleted.getExitStatus());
        Wait.until("delete delivered", Duration.ofSeconds(10), () -> delivered.size() >= 4);
        Wait.sleep(Duration.ofMillis(300));
        assertEquals(List.of("/tasks/create", "/tasks/start", "/tasks/exit", "/tasks/delete"), topics());
        TaskExit taskExit = TaskExit.parseFrom(delivered.get(2).getEvent().getValue());
        assertEquals(id, taskExit.getContainerId());
        assertEquals(137, taskExit.getExitStatus());
        assertEquals(pid, taskExit.getPid());

        call("Shutdown", ShutdownRequest.newBuilder().setId(id).build(), Empty.parser());
    }

    private TtrpcServer startEvents() throws IOException {
        TtrpcServer server = new TtrpcServer(List.of(TtrpcService.builder("containerd.services.events.ttrpc.v1.Events")
                .unary("Forward", ForwardRequest.parser(), (c, r) -> {
                    delivered.add(r.getEnvelope());
                    return Empty.getDefaultInstance();
                }).build()));
        server.listen(eventsSocket);
        return server;
    }

    private List<String> topics() {
        return delivered.stream().map(Envelope::getTopic).toList();
    }

    private TtrpcClient connect() throws IOException {
        String address = Files.readString(bundle.dir().resolve("address"));
        return TtrpcClient.connect(Path.of(address.substring("unix://".length())));
    }

    private void shimWaitIgnoringFailure(TtrpcClient client) {
        try {
            client.call(TASK, "Wait", WaitRequest.newBuilder().setId(id).build(), WaitResponse.parser(),
                    Metadata.namespace(namespace), CALL);
        } catch (TtrpcException e) {
            // the connection closed under the call, as when containerd dies
        }
    }

    private <T extends MessageLite> T call(String method, MessageLite request, Parser<T> parser) {
        return shim.call(TASK, method, request, parser, Metadata.namespace(namespace), CALL);
    }
}
