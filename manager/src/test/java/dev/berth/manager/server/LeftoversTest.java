package dev.berth.manager.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.berth.api.services.content.v1.AbortRequest;
import dev.berth.api.services.content.v1.ContentGrpc;
import dev.berth.api.services.content.v1.ListStatusesRequest;
import dev.berth.api.services.content.v1.WriteAction;
import dev.berth.api.services.content.v1.WriteContentRequest;
import dev.berth.api.services.content.v1.WriteContentResponse;
import dev.berth.api.services.leases.v1.CreateRequest;
import dev.berth.api.services.leases.v1.Lease;
import dev.berth.api.services.leases.v1.LeasesGrpc;
import dev.berth.api.services.leases.v1.ListRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import dev.berth.sys.LinuxSyscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pull interrupted by a kill leaves a partial ingest and its lease; berthd drops them at start (and on a
 * schedule), and the content service's Abort removes a partial ingest a client names.
 */
class LeftoversTest {

    private static final String NS = "leftovers";

    @TempDir
    Path dir;

    private BerthdConfig config() {
        return TestConfig.in(dir);
    }

    @Test
    void open_dropsLeasesOfEarlierPullsExpiredLeasesAndStaleIngests_keepsFreshOnesForAbort() throws Exception {
        try (Berthd berthd = Berthd.open(config(), LinuxSyscalls.loadBuilt())) {
            ManagedChannel ch = berthd.channel();
            try {
                LeasesGrpc.LeasesBlockingStub leases = in(LeasesGrpc.newBlockingStub(ch));
                // what a pull killed with berthd leaves: its lease (24 hours) …
                leases.create(CreateRequest.newBuilder().setId("pull-1733300000000-0a1b2c3d")
                        .putLabels("containerd.io/gc.expire", Instant.now().plus(Duration.ofHours(24)).toString())
                        .build());
                // … a client's lease that has expired, and one of a client that still holds it
                leases.create(CreateRequest.newBuilder().setId("1733300000-expired")
                        .putLabels("containerd.io/gc.expire", Instant.now().minusSeconds(60).toString()).build());
                leases.create(CreateRequest.newBuilder().setId("1733300000-held").build());
                partialWrite(ch, "layer-stale");
                partialWrite(ch, "layer-fresh");
            } finally {
                ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
        Path stale = ingestDir("layer-stale");
        makeOld(stale, Duration.ofHours(2));

        try (Berthd berthd = Berthd.open(config(), LinuxSyscalls.loadBuilt())) {
            ManagedChannel ch = berthd.channel();
            try {
                List<String> leases = in(LeasesGrpc.newBlockingStub(ch)).list(ListRequest.getDefaultInstance())
                        .getLeasesList().stream().map(Lease::getId).toList();
                assertEquals(List.of("1733300000-held"), leases);
                ContentGrpc.ContentBlockingStub content = in(ContentGrpc.newBlockingStub(ch));
                assertEquals(List.of("layer-fresh"), refs(content));
                assertFalse(Files.exists(stale), "the stale ingest's data is gone from disk");

                Path fresh = ingestDir("layer-fresh");
                content.abort(AbortRequest.newBuilder().setRef("layer-fresh").build());
                assertEquals(List.of(), refs(content));
                assertFalse(Files.exists(fresh), "abort removes the data");
            } finally {
                ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    private static List<String> refs(ContentGrpc.ContentBlockingStub content) {
        return content.listStatuses(ListStatusesRequest.getDefaultInstance()).getStatusesList().stream()
                .map(s -> s.getRef()).toList();
    }

    /** Writes half of a blob under {@code ref} and ends the stream without a commit, as a cut pull does. */
    private static void partialWrite(ManagedChannel ch, String ref) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        StreamObserver<WriteContentRequest> w = in(ContentGrpc.newStub(ch)).write(new StreamObserver<>() {
            public void onNext(WriteContentResponse r) {
            }

            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            public void onCompleted() {
                done.complete(null);
            }
        });
        w.onNext(WriteContentRequest.newBuilder().setRef(ref).setAction(WriteAction.WRITE).setTotal(1000)
                .setData(ByteString.copyFrom(new byte[500])).build());
        w.onCompleted();
        done.get(10, TimeUnit.SECONDS);
    }

    /** The backend directory of namespaced ingest {@code ref} (its {@code ref} file ends in {@code /<ref>}). */
    private Path ingestDir(String ref) throws IOException {
        try (Stream<Path> dirs = Files.list(dir.resolve("root/content/ingest"))) {
            for (Path d : dirs.toList()) {
                if (Files.readString(d.resolve("ref")).endsWith("/" + ref)) {
                    return d;
                }
            }
        }
        throw new AssertionError("no ingest of " + ref);
    }

    /** Makes the ingest look last written {@code age} ago, as one a pull killed then would look now. */
    private static void makeOld(Path ingest, Duration age) throws IOException {
        Instant then = Instant.now().minus(age);
        Files.writeString(ingest.resolve("updatedat"), then.toString());
        Files.writeString(ingest.resolve("startedat"), then.toString());
        Files.setLastModifiedTime(ingest.resolve("data"), FileTime.from(then));
        assertTrue(Files.exists(ingest.resolve("data")));
    }

    private static <S extends io.grpc.stub.AbstractStub<S>> S in(S stub) {
        Metadata h = new Metadata();
        h.put(Metadata.Key.of("containerd-namespace", Metadata.ASCII_STRING_MARSHALLER), NS);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(h));
    }
}
