package dev.berth.manager.service.engine;

import dev.berth.api.services.engine.v1.CreateVolumeRequest;
import dev.berth.api.services.engine.v1.Empty;
import dev.berth.api.services.engine.v1.JsonDocument;
import dev.berth.api.services.engine.v1.ListVolumesRequest;
import dev.berth.api.services.engine.v1.PruneRequest;
import dev.berth.api.services.engine.v1.PruneResponse;
import dev.berth.api.services.engine.v1.RemoveVolumeRequest;
import dev.berth.api.services.engine.v1.VolumeRef;
import dev.berth.api.services.engine.v1.VolumesGrpc;
import dev.berth.manager.engine.volume.Volumes;
import dev.berth.manager.service.Calls;
import dev.berth.manager.service.RequestMetadata;
import dev.berth.model.VolumeCreateOptions;
import dev.berth.model.VolumeList;
import io.grpc.stub.StreamObserver;
import java.util.List;

/** {@code berth.services.engine.v1.Volumes}: a thin adapter over {@link Volumes} (which reports the events). */
public final class EngineVolumesService extends VolumesGrpc.VolumesImplBase {
    private final Volumes volumes;

    public EngineVolumesService(Volumes volumes) {
        this.volumes = volumes;
    }

    @Override
    public void create(CreateVolumeRequest req, StreamObserver<JsonDocument> response) {
        Calls.unary(response, () -> {
            String ns = RequestMetadata.namespace("create volume");
            return Json.document(volumes.create(ns, new VolumeCreateOptions(req.getName(), req.getDriver(),
                    req.getDriverOptsMap(), req.getLabelsMap())));
        });
    }

    @Override
    public void inspect(VolumeRef req, StreamObserver<JsonDocument> response) {
        Calls.unary(response, () -> Json.document(volumes.inspect(RequestMetadata.namespace("inspect volume"),
                req.getName())));
    }

    @Override
    public void list(ListVolumesRequest req, StreamObserver<JsonDocument> response) {
        Calls.unary(response, () -> Json.document(new VolumeList(volumes.list(
                RequestMetadata.namespace("list volumes"), Json.filters(req.getFiltersMap())), List.of())));
    }

    @Override
    public void remove(RemoveVolumeRequest req, StreamObserver<Empty> response) {
        Calls.unary(response, () -> {
            String ns = RequestMetadata.namespace("remove volume");
            volumes.remove(ns, req.getName(), req.getForce());
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void prune(PruneRequest req, StreamObserver<PruneResponse> response) {
        Calls.unary(response, () -> {
            Volumes.PruneReport r = volumes.prune(RequestMetadata.namespace("prune volumes"),
                    Json.filters(req.getFiltersMap()));
            return PruneResponse.newBuilder().addAllDeleted(r.deleted()).setSpaceReclaimed(r.spaceReclaimed())
                    .build();
        });
    }
}
