package dev.berth.manager.service.engine;

import dev.berth.api.services.engine.v1.Empty;
import dev.berth.api.services.engine.v1.ImageRef;
import dev.berth.api.services.engine.v1.ImagesGrpc;
import dev.berth.api.services.engine.v1.JsonDocument;
import dev.berth.api.services.engine.v1.ListImagesRequest;
import dev.berth.api.services.engine.v1.RemoveImageRequest;
import dev.berth.api.services.engine.v1.TagImageRequest;
import dev.berth.api.services.engine.v1.ImageDeleteItem;
import dev.berth.api.services.engine.v1.PruneRequest;
import dev.berth.api.services.engine.v1.PruneResponse;
import dev.berth.manager.engine.EngineImages;
import dev.berth.manager.engine.ImagePrune;
import dev.berth.manager.service.Calls;
import dev.berth.manager.service.RequestMetadata;
import io.grpc.stub.StreamObserver;

/** {@code berth.services.engine.v1.Images}: a thin adapter over {@link EngineImages} and {@link ImagePrune}. */
public final class EngineImagesService extends ImagesGrpc.ImagesImplBase {
    private final EngineImages images;
    private final ImagePrune prune;

    public EngineImagesService(EngineImages images, ImagePrune prune) {
        this.images = images;
        this.prune = prune;
    }

    @Override
    public void prune(PruneRequest req, StreamObserver<PruneResponse> response) {
        Calls.unary(response, () -> {
            ImagePrune.Report r = prune.prune(RequestMetadata.namespace("prune images"),
                    Json.filters(req.getFiltersMap()));
            PruneResponse.Builder b = PruneResponse.newBuilder().addAllDeleted(r.deleted())
                    .setSpaceReclaimed(r.spaceReclaimed());
            r.items().forEach(i -> b.addImageDeletes(ImageDeleteItem.newBuilder()
                    .setUntagged(i.getOrDefault("Untagged", "")).setDeleted(i.getOrDefault("Deleted", ""))));
            return b.build();
        });
    }

    @Override
    public void list(ListImagesRequest req, StreamObserver<JsonDocument> response) {
        Calls.unary(response, () -> Json.document(images.list(RequestMetadata.namespace("list images"),
                Json.filters(req.getFiltersMap()))));
    }

    @Override
    public void inspect(ImageRef req, StreamObserver<JsonDocument> response) {
        Calls.unary(response, () -> Json.document(images.inspect(RequestMetadata.namespace("inspect image"),
                req.getName())));
    }

    @Override
    public void history(ImageRef req, StreamObserver<JsonDocument> response) {
        Calls.unary(response, () -> Json.document(images.history(RequestMetadata.namespace("image history"),
                req.getName())));
    }

    @Override
    public void tag(TagImageRequest req, StreamObserver<Empty> response) {
        Calls.unary(response, () -> {
            images.tag(RequestMetadata.namespace("tag image"), req.getSource(), req.getTarget());
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void remove(RemoveImageRequest req, StreamObserver<JsonDocument> response) {
        Calls.unary(response, () -> Json.document(images.remove(RequestMetadata.namespace("remove image"),
                req.getName(), req.getForce())));
    }
}
