package dev.berth.manager.service.build;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.GrpcErrors;
import dev.berth.api.services.build.v1.BuildOptions;
import dev.berth.api.services.build.v1.BuildProgress;
import dev.berth.api.services.build.v1.BuildsGrpc;
import dev.berth.api.services.build.v1.PruneRequest;
import dev.berth.api.services.build.v1.PruneResponse;
import dev.berth.manager.build.BuildCache;
import dev.berth.manager.build.BuildRequest;
import dev.berth.manager.build.Builder;
import dev.berth.manager.image.ChunkQueue;
import dev.berth.manager.service.Calls;
import dev.berth.manager.service.RequestMetadata;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * {@code berth.services.build.v1.Builds}: a thin adapter over {@link Builder}. The request stream's options start
 * the build on a thread of its own; the context chunks that follow are handed to it through a bounded queue, so
 * the build extracts the context while it arrives.
 */
public final class BuildService extends BuildsGrpc.BuildsImplBase {
    private static final int CONTEXT_QUEUE = 16;

    private final Builder builder;
    private final BuildCache cache;

    public BuildService(Builder builder, BuildCache cache) {
        this.builder = builder;
        this.cache = cache;
    }

    @Override
    public StreamObserver<dev.berth.api.services.build.v1.BuildRequest> build(StreamObserver<BuildProgress> response) {
        String ns = RequestMetadata.namespace("build");
        ChunkQueue context = new ChunkQueue("build context", CONTEXT_QUEUE);
        CompletableFuture<BuildOptions> options = new CompletableFuture<>();
        Thread.ofVirtual().name("build-" + ns).start(() -> {
            try {
                String id = builder.build(ns, request(options.join()), context, text -> {
                    synchronized (response) {
                        response.onNext(BuildProgress.newBuilder().setStream(text).build());
                    }
                });
                context.close(); // the client's further chunks are dropped instead of blocking its stream
                synchronized (response) {
                    response.onNext(BuildProgress.newBuilder().setImageId(id).build());
                    response.onCompleted();
                }
            } catch (IOException | RuntimeException e) {
                context.close();
                synchronized (response) {
                    response.onError(GrpcErrors.toStatusException(e));
                }
            }
        });
        return new StreamObserver<>() {
            @Override
            public void onNext(dev.berth.api.services.build.v1.BuildRequest req) {
                try {
                    switch (req.getPartCase()) {
                        case OPTIONS -> options.complete(req.getOptions());
                        case CONTEXT -> {
                            options.complete(BuildOptions.getDefaultInstance());
                            byte[] data = req.getContext().toByteArray();
                            context.write(data, 0, data.length);
                        }
                        default -> throw BerthException.invalidArgument("build: empty message");
                    }
                } catch (InterruptedIOException e) {
                    context.fail(e);
                }
            }

            @Override
            public void onError(Throwable t) {
                options.complete(BuildOptions.getDefaultInstance());
                context.fail(new IOException("client went away: " + t.getMessage(), t));
            }

            @Override
            public void onCompleted() {
                options.complete(BuildOptions.getDefaultInstance());
                try {
                    context.finish();
                } catch (InterruptedIOException e) {
                    context.fail(e);
                }
            }
        };
    }

    @Override
    public void prune(PruneRequest req, StreamObserver<PruneResponse> response) {
        Calls.unary(response, () -> PruneResponse.newBuilder().addAllDeleted(
                cache.prune(RequestMetadata.namespace("prune build cache"))).build());
    }

    private static BuildRequest request(BuildOptions o) {
        return new BuildRequest(o.getDockerfile(), o.getDockerfileText().isEmpty() ? Optional.empty()
                : Optional.of(o.getDockerfileText()), new ArrayList<>(o.getTagsList()), o.getTarget(), o.getNoCache(),
                o.getPull(), o.getLabelsMap(), o.getBuildArgsMap(), o.getQuiet(), o.getNetworkMode());
    }
}
