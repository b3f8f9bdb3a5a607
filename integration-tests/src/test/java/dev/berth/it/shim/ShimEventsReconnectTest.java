package dev.berth.it.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Empty;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import dev.berth.api.events.TaskExit;
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
import dev.berth.api.ttrpc.Metadata;
import dev.berth.api.ttrpc.TtrpcClient;
import dev.berth.api.ttrpc.TtrpcException;
import dev.berth.it.support.Bundle;
import dev.berth.it.support.Wait;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * berth-shim while its containerd is away: a fake events service on {@code TTRPC_ADDRESS} is stopped and started
 * again, and the client reconnects to the shim's socket, as after a containerd restart. Events published meanwhile
 * arrive once each, in order, and {@code Wait} answers on the new connection.
 */
class ShimEventsReconnectTest {
    private ShimFixture fixture;
    private String namespace;
    private String id;
    private Bundle bundle;
    private ShimFixture.Shim shim;

    @BeforeEach
    void startShim() throws Exception {
        fixture = ShimFixture.create("bev-");
        namespace = fixture.namespace;
        id = "it-" + ContainerdFixture.random();
        bundle = Bundle.create(fixture.tmp.resolve("bundle"), "/" + namespace + "/" + id).args("sleep", "300")
                .writeConfig();
        shim = fixture.startAndConnect(bundle.dir(), id);
    }

    @AfterEach
    void stopShim() throws Exception {
        fixture.close();
    }

    @Test
    void exitWhileContainerdAway_eventDeliveredOnceAfterReturn_waitAnswersOnNewConnection() throws Exception {
        int pid = call("Create", CreateTaskRequest.newBuilder().setId(id).setBundle(bundle.dir().toString()).build(),
                CreateTaskResponse.parser()).getPid();
        assertEquals(pid, call("Start", StartRequest.newBuilder().setId(id).build(), StartResponse.parser()).getPid());
        List<Envelope> delivered = fixture.delivered();
        Wait.until("create and start delivered", Duration.ofSeconds(10), () -> delivered.size() >= 2);

        // containerd goes away: its events service stops and its connection to the shim breaks, mid-Wait
        Thread pendingWait = Thread.ofVirtual().start(() -> shimWaitIgnoringFailure(shim.client()));
        fixture.stopEvents();
        shim.client().close();
        pendingWait.join(Duration.ofSeconds(10).toMillis());

        shim = fixture.connect(Files.readString(bundle.dir().resolve("address")), id);
        call("Kill", KillRequest.newBuilder().setId(id).setSignal(9).build(), Empty.parser());
        WaitResponse exit = call("Wait", WaitRequest.newBuilder().setId(id).build(), WaitResponse.parser());
        assertEquals(137, exit.getExitStatus());
        Wait.sleep(Duration.ofMillis(500));
        assertEquals(2, delivered.size(), "nothing delivered while the events service is away: " + fixture.topics());

        fixture.startEvents();
        Wait.until("exit delivered", Duration.ofSeconds(15), () -> delivered.size() >= 3);
        DeleteResponse deleted = call("Delete", DeleteRequest.newBuilder().setId(id).build(),
                DeleteResponse.parser());
        assertEquals(137, deleted.getExitStatus());
        Wait.until("delete delivered", Duration.ofSeconds(10), () -> delivered.size() >= 4);
        Wait.sleep(Duration.ofMillis(300));
        assertEquals(List.of("/tasks/create", "/tasks/start", "/tasks/exit", "/tasks/delete"), fixture.topics());
        TaskExit taskExit = TaskExit.parseFrom(delivered.get(2).getEvent().getValue());
        assertEquals(id, taskExit.getContainerId());
        assertEquals(137, taskExit.getExitStatus());
        assertEquals(pid, taskExit.getPid());

        call("Shutdown", ShutdownRequest.newBuilder().setId(id).build(), Empty.parser());
    }

    private void shimWaitIgnoringFailure(TtrpcClient client) {
        try {
            client.call(ShimFixture.TASK, "Wait", WaitRequest.newBuilder().setId(id).build(), WaitResponse.parser(),
                    Metadata.namespace(namespace), ShimFixture.CALL);
        } catch (TtrpcException e) {
            // the connection closed under the call, as when containerd dies
        }
    }

    private <T extends MessageLite> T call(String method, MessageLite request, Parser<T> parser) {
        return shim.call(method, request, parser);
    }
}
