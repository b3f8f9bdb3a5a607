package dev.berth.client;

import com.google.protobuf.ByteString;
import dev.berth.api.services.build.v1.BuildOptions;
import dev.berth.api.services.build.v1.BuildProgress;
import dev.berth.api.services.build.v1.BuildRequest;
import dev.berth.api.services.build.v1.PruneRequest;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/** Dockerfile builds in berthd (Berth's build service): the context goes up as a tar stream, progress comes back. */
public final class Builds {
    private static final int CHUNK = 1 << 20;

    private final Stubs stubs;

    Builds(Stubs stubs) {
        this.stubs = stubs;
    }

    /**
     * Builds from {@code context} (an uncompressed tar of the context, {@code .dockerignore} applied; an empty
     * stream for none), sending docker's classic output to {@code progress} as it comes; answers the image id.
     * A failed build is a {@link DaemonException} whose message is docker's (a RUN's:
     * {@code The command '…' returned a non-zero code: N}).
     */
    public String build(Options.Build options, InputStream context, Consumer<String> progress) {
        CompletableFuture<String> done = new CompletableFuture<>();
        ReadyGate gate = new ReadyGate();
        CompletableFuture<ClientCallStreamObserver<BuildRequest>> call = new CompletableFuture<>();
        stubs.buildsAsync().build(new ClientResponseObserver<BuildRequest, BuildProgress>() {
            private String id = "";

            @Override
            public void beforeStart(ClientCallStreamObserver<BuildRequest> requests) {
                gate.attach(requests);
                call.complete(requests);
            }

            @Override
            public void onNext(BuildProgress p) {
                switch (p.getPartCase()) {
                    case STREAM -> progress.accept(p.getStream());
                    case IMAGE_ID -> id = p.getImageId();
                    default -> { }
                }
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
                gate.end();
            }

            @Override
            public void onCompleted() {
                done.complete(id);
                gate.end();
            }
        });
        ClientCallStreamObserver<BuildRequest> requests = call.join();
        try {
            // each message waits until the transport took the last ones: a large context is never held in memory
            boolean open = gate.await();
            if (open) {
                requests.onNext(BuildRequest.newBuilder().setOptions(options(options)).build());
            }
            byte[] buf = new byte[CHUNK];
            for (int n; open && (n = context.readNBytes(buf, 0, buf.length)) > 0; ) {
                open = gate.await();
                if (open) {
                    requests.onNext(BuildRequest.newBuilder().setContext(ByteString.copyFrom(buf, 0, n)).build());
                }
            }
            if (open) {
                requests.onCompleted();
            }
        } catch (IOException e) {
            requests.onError(e);
            throw new UncheckedIOException("build: read the context", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            requests.cancel("interrupted", e);
            throw new IllegalStateException("build: interrupted", e);
        }
        try {
            return done.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof StatusRuntimeException s) {
                throw DaemonException.of(s);
            }
            throw e;
        }
    }

    /** Removes the build cache's entries; answers their names. */
    public List<String> prune() {
        return List.copyOf(Calls.call(() -> stubs.builds().prune(PruneRequest.getDefaultInstance()))
                .getDeletedList());
    }

    private static BuildOptions options(Options.Build o) {
        BuildOptions.Builder b = BuildOptions.newBuilder().setDockerfile(o.dockerfile()).addAllTags(o.tags())
                .setTarget(o.target()).setNoCache(o.noCache()).setPull(o.pull()).putAllLabels(o.labels())
                .putAllBuildArgs(o.buildArgs()).setQuiet(o.quiet()).setNetworkMode(o.networkMode());
        o.dockerfileText().ifPresent(b::setDockerfileText);
        return b.build();
    }
}
