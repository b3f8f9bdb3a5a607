package dev.berth.manager.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Empty;
import dev.berth.api.services.version.v1.VersionGrpc;
import dev.berth.manager.service.version.VersionService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A call that comes before berthd's services are built waits for them, or fails as the start did. */
class PendingServicesTest {

    private final PendingServices pending = new PendingServices();
    private Server server;
    private ManagedChannel channel;

    private VersionGrpc.VersionFutureStub serve() throws IOException {
        String name = "pending-" + System.nanoTime();
        server = InProcessServerBuilder.forName(name).fallbackHandlerRegistry(pending)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build().start();
        channel = InProcessChannelBuilder.forName(name).build();
        return VersionGrpc.newFutureStub(channel);
    }

    @AfterEach
    void close() {
        if (channel != null) {
            channel.shutdownNow();
        }
        if (server != null) {
            server.shutdownNow();
        }
    }

    @Test
    void callBeforeServe_waitsThenReachesTheService() throws Exception {
        var call = serve().version(Empty.getDefaultInstance());
        Thread.sleep(200);
        assertFalse(call.isDone());

        pending.serve(List.of(new VersionService("1.2.3", "rev").bindService()));

        assertEquals("1.2.3", call.get(5, TimeUnit.SECONDS).getVersion());
    }

    @Test
    void failedStart_refusesTheWaitingCallsAndLaterOnes_unavailableNamingWhy() throws Exception {
        var stub = serve();
        var waiting = stub.version(Empty.getDefaultInstance());

        pending.fail(new IOException("open metadata database /x/metadata.db: disk I/O error"));

        for (var call : List.of(waiting, stub.version(Empty.getDefaultInstance()))) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> call.get(5, TimeUnit.SECONDS));
            Status status = ((StatusRuntimeException) e.getCause()).getStatus();
            assertEquals(Status.Code.UNAVAILABLE, status.getCode());
            assertTrue(status.getDescription().contains("berthd failed to start: open metadata database"),
                    status.getDescription());
        }
    }

    @Test
    void served_unknownMethod_isUnimplemented() throws Exception {
        pending.serve(List.of());
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> serve().version(Empty.getDefaultInstance()).get(5, TimeUnit.SECONDS));
        assertEquals(Status.Code.UNIMPLEMENTED, ((StatusRuntimeException) e.getCause()).getStatus().getCode());
    }
}
