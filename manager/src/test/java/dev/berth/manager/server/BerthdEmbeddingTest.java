package dev.berth.manager.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Empty;
import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.api.services.introspection.v1.IntrospectionGrpc;
import dev.berth.api.services.namespaces.v1.CreateNamespaceRequest;
import dev.berth.api.services.namespaces.v1.ListNamespacesRequest;
import dev.berth.api.services.namespaces.v1.Namespace;
import dev.berth.api.services.namespaces.v1.NamespacesGrpc;
import dev.berth.api.services.snapshots.v1.PrepareSnapshotRequest;
import dev.berth.api.services.snapshots.v1.SnapshotsGrpc;
import dev.berth.api.services.version.v1.VersionGrpc;
import dev.berth.sys.LinuxSyscalls;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An application embeds berthd: the same services over an in-process channel, state kept across reopen. */
class BerthdEmbeddingTest {

    @TempDir
    Path dir;

    private BerthdConfig config() {
        return TestConfig.in(dir);
    }

    private static <S extends io.grpc.stub.AbstractStub<S>> S in(S stub, String ns) {
        Metadata h = new Metadata();
        h.put(Metadata.Key.of("containerd-namespace", Metadata.ASCII_STRING_MARSHALLER), ns);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(h));
    }

    @Test
    void channel_servesEveryServiceWithoutASocket_andStateSurvivesReopen() throws Exception {
        String uuid;
        try (Berthd berthd = Berthd.open(config(), LinuxSyscalls.loadBuilt())) {
            ManagedChannel ch = berthd.channel();
            try {
                assertEquals(Berthd.VERSION, VersionGrpc.newBlockingStub(ch).version(Empty.getDefaultInstance())
                        .getVersion());
                uuid = IntrospectionGrpc.newBlockingStub(ch).server(Empty.getDefaultInstance()).getUuid();
                NamespacesGrpc.newBlockingStub(ch).create(CreateNamespaceRequest.newBuilder()
                        .setNamespace(Namespace.newBuilder().setName("embedded").putLabels("a", "b")).build());
                var mounts = in(SnapshotsGrpc.newBlockingStub(ch), "embedded").prepare(PrepareSnapshotRequest
                        .newBuilder().setKey("k1").build()).getMountsList();
                assertEquals("bind", mounts.getFirst().getType());
                assertTrue(mounts.getFirst().getSource().startsWith(dir.resolve("root").toString()));
            } finally {
                ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
        try (Berthd again = Berthd.open(config(), LinuxSyscalls.loadBuilt())) {
            ManagedChannel ch = again.channel();
            try {
                assertEquals(uuid, IntrospectionGrpc.newBlockingStub(ch).server(Empty.getDefaultInstance())
                        .getUuid());
                var names = NamespacesGrpc.newBlockingStub(ch).list(ListNamespacesRequest.getDefaultInstance())
                        .getNamespacesList().stream().map(Namespace::getName).toList();
                assertTrue(names.contains("embedded"), names.toString());
            } finally {
                ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void open_secondInstanceOnTheSameRoot_isUnavailable() throws Exception {
        try (Berthd first = Berthd.open(config(), LinuxSyscalls.loadBuilt())) {
            BerthException e = assertThrows(BerthException.class,
                    () -> Berthd.open(config(), LinuxSyscalls.loadBuilt()));
            assertEquals(ErrorKind.UNAVAILABLE, e.kind());
            assertTrue(e.getMessage().contains("in use by another berthd"), e.getMessage());
        }
    }
}
