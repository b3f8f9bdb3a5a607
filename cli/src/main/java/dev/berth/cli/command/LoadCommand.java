package dev.berth.cli.command;

import com.google.protobuf.ByteString;
import dev.berth.api.services.transfer.v1.Image;
import dev.berth.api.services.transfer.v1.ImportOptions;
import dev.berth.api.services.transfer.v1.ImportRequest;
import dev.berth.api.services.transfer.v1.Progress;
import dev.berth.client.Berth;
import dev.berth.cli.client.DaemonStubs;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth load}: streams an OCI or docker archive to berthd, which stores and unpacks its images. */
@Command(name = "load", description = "Load images from a tar archive (read from STDIN by default)")
public final class LoadCommand extends BaseCommand {
    private static final int CHUNK = 1 << 20;

    @Option(names = {"-i", "--input"}, description = "Read from tar archive file, instead of STDIN")
    Path input;
    @Option(names = {"-q", "--quiet"}, description = "Suppress the load output")
    boolean quiet;

    @Override
    int run(Berth client) throws Exception {
        DaemonStubs berth = new DaemonStubs(client);
        CompletableFuture<List<Image>> done = new CompletableFuture<>();
        CompletableFuture<ClientCallStreamObserver<ImportRequest>> call = new CompletableFuture<>();
        berth.transferAsync().import_(new ClientResponseObserver<ImportRequest, Progress>() {
            private final List<Image> images = new ArrayList<>();

            @Override
            public void beforeStart(ClientCallStreamObserver<ImportRequest> requests) {
                call.complete(requests);
            }

            @Override
            public void onNext(Progress p) {
                images.addAll(p.getImagesList());
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                done.complete(images);
            }
        });
        ClientCallStreamObserver<ImportRequest> requests = call.join();
        requests.onNext(ImportRequest.newBuilder().setOptions(ImportOptions.getDefaultInstance()).build());
        try (InputStream in = input == null ? System.in : Files.newInputStream(input)) {
            byte[] buf = new byte[CHUNK];
            for (int n; (n = in.readNBytes(buf, 0, buf.length)) > 0 && !done.isDone(); ) {
                // the transport buffers what is written: wait for it to drain so a large archive is not held in memory
                while (!requests.isReady() && !done.isDone()) {
                    Thread.sleep(1);
                }
                requests.onNext(ImportRequest.newBuilder().setData(ByteString.copyFrom(buf, 0, n)).build());
            }
        }
        requests.onCompleted();
        List<Image> images;
        try {
            images = done.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof io.grpc.StatusRuntimeException s) {
                throw s;
            }
            throw e;
        }
        if (!quiet) {
            images.forEach(i -> System.out.println("Loaded image: " + i.getName()));
        }
        return 0;
    }
}
