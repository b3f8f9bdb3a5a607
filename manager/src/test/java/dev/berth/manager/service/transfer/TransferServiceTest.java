package dev.berth.manager.service.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.berth.api.services.images.v1.GetImageRequest;
import dev.berth.api.services.images.v1.ImagesGrpc;
import dev.berth.api.services.transfer.v1.ExportRequest;
import dev.berth.api.services.transfer.v1.ImportOptions;
import dev.berth.api.services.transfer.v1.ImportRequest;
import dev.berth.api.services.transfer.v1.Progress;
import dev.berth.api.services.transfer.v1.TransferGrpc;
import dev.berth.manager.server.Berthd;
import dev.berth.manager.server.BerthdConfig;
import dev.berth.sys.LinuxSyscalls;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transfer service through the whole of an embedded berthd: import the shipped busybox archive, export it. */
class TransferServiceTest {

    private static final Path SCRIPT = Path.of("..", "scripts", "build-busybox-archive.sh").toAbsolutePath();

    @TempDir
    Path dir;
    private Berthd berthd;
    private ManagedChannel channel;

    @BeforeEach
    void open() throws Exception {
        berthd = Berthd.open(BerthdConfig.defaults(Path.of("/nonexistent/berth-shim"))
                .withNetwork(BerthdConfig.NetworkSwitches.CONTAINED)
                .withRoot(dir.resolve("root")).withState(dir.resolve("state")).withAddress(dir.resolve("b.sock")),
                LinuxSyscalls.loadBuilt());
        channel = berthd.channel();
    }

    @AfterEach
    void close() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        berthd.close();
    }

    private <S extends AbstractStub<S>> S in(S stub) {
        Metadata h = new Metadata();
        h.put(Metadata.Key.of("containerd-namespace", Metadata.ASCII_STRING_MARSHALLER), "transfer");
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(h));
    }

    private List<Progress> importArchive(InputStream archive) throws Exception {
        List<Progress> got = new ArrayList<>();
        CompletableFuture<List<Progress>> done = new CompletableFuture<>();
        StreamObserver<ImportRequest> in = in(TransferGrpc.newStub(channel)).import_(new StreamObserver<>() {
            public void onNext(Progress p) {
                got.add(p);
            }

            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            public void onCompleted() {
                done.complete(got);
            }
        });
        in.onNext(ImportRequest.newBuilder().setOptions(ImportOptions.getDefaultInstance()).build());
        byte[] buf = new byte[64 << 10];
        for (int n; (n = archive.read(buf)) > 0; ) {
            in.onNext(ImportRequest.newBuilder().setData(ByteString.copyFrom(buf, 0, n)).build());
        }
        in.onCompleted();
        try {
            return done.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    @Test
    void import_shippedBusyboxArchive_recordsTheImage_andExportGivesItBack() throws Exception {
        Path archive = dir.resolve("busybox.tar");
        Process p = new ProcessBuilder(SCRIPT.toString(), archive.toString()).inheritIO().start();
        assertEquals(0, p.waitFor());
        List<Progress> progress;
        try (InputStream in = Files.newInputStream(archive)) {
            progress = importArchive(in);
        }
        Progress last = progress.getLast();
        assertEquals("docker.io/library/busybox:latest", last.getImages(0).getName());
        var image = in(ImagesGrpc.newBlockingStub(channel)).get(GetImageRequest.newBuilder()
                .setName("docker.io/library/busybox:latest").build()).getImage();
        assertEquals(last.getImages(0).getTarget().getDigest(), image.getTarget().getDigest());

        ByteArrayOutputStream exported = new ByteArrayOutputStream();
        in(TransferGrpc.newBlockingStub(channel)).export(ExportRequest.newBuilder()
                .addImages("docker.io/library/busybox:latest").setFormat("docker").build())
                .forEachRemaining(c -> exported.writeBytes(c.getData().toByteArray()));
        assertTrue(exported.size() > 512 * 1024, "a docker archive with busybox in it: " + exported.size());
    }

    @Test
    void import_truncatedArchive_isInvalidArgument_andExportOfUnknownImageIsNotFound() throws Exception {
        StatusRuntimeException bad = assertThrows(StatusRuntimeException.class,
                () -> importArchive(new java.io.ByteArrayInputStream(new byte[1000])));
        assertEquals(Status.Code.INVALID_ARGUMENT, bad.getStatus().getCode(), bad.getMessage());
        StatusRuntimeException unknown = assertThrows(StatusRuntimeException.class, () ->
                in(TransferGrpc.newBlockingStub(channel)).export(ExportRequest.newBuilder().addImages("nope:1")
                        .build()).forEachRemaining(c -> { }));
        assertEquals(Status.Code.NOT_FOUND, unknown.getStatus().getCode(), unknown.getMessage());
    }
}
