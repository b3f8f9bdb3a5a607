package dev.berth.api.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.Empty;
import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.api.errdefs.GrpcErrors;
import dev.berth.api.services.version.v1.VersionGrpc;
import dev.berth.api.services.version.v1.VersionResponse;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The generated stubs work end to end: a Version service served in-process and called through the blocking stub. */
class VersionServiceInProcessTest {
    private Server server;
    private ManagedChannel channel;

    @AfterEach
    void shutDown() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private VersionGrpc.VersionBlockingStub serve(VersionGrpc.VersionImplBase service) throws Exception {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor().addService(service).build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        return VersionGrpc.newBlockingStub(channel);
    }

    @Test
    void version_returnsServedVersion() throws Exception {
        VersionGrpc.VersionBlockingStub stub = serve(new VersionGrpc.VersionImplBase() {
            @Override
            public void version(Empty request, StreamObserver<VersionResponse> responses) {
                responses.onNext(VersionResponse.newBuilder().setVersion("0.1.0").setRevision("abc123").build());
                responses.onCompleted();
            }
        });

        VersionResponse response = stub.version(Empty.getDefaultInstance());

        assertEquals("0.1.0", response.getVersion());
        assertEquals("abc123", response.getRevision());
        assertEquals("containerd.services.version.v1.Version/Version",
                VersionGrpc.getVersionMethod().getFullMethodName());
    }

    @Test
    void version_berthError_reachesClientAsItsKind() throws Exception {
        VersionGrpc.VersionBlockingStub stub = serve(new VersionGrpc.VersionImplBase() {
            @Override
            public void version(Empty request, StreamObserver<VersionResponse> responses) {
                responses.onError(GrpcErrors.toStatusException(BerthException.unavailable("version: shutting down")));
            }
        });

        Executable call = () -> stub.version(Empty.getDefaultInstance());
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);

        BerthException received = GrpcErrors.fromStatus(e);
        assertEquals(ErrorKind.UNAVAILABLE, received.kind());
        assertEquals("version: shutting down", received.getMessage());
    }
}
