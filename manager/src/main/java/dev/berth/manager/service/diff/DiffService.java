package dev.berth.manager.service.diff;

import dev.berth.api.services.diff.v1.ApplyRequest;
import dev.berth.api.services.diff.v1.ApplyResponse;
import dev.berth.api.services.diff.v1.DiffGrpc;
import dev.berth.api.services.diff.v1.DiffRequest;
import dev.berth.api.services.diff.v1.DiffResponse;
import dev.berth.manager.content.Descriptor;
import dev.berth.manager.diff.ContentDiffer;
import dev.berth.manager.service.Calls;
import dev.berth.manager.service.Descriptors;
import dev.berth.manager.service.RequestMetadata;
import dev.berth.manager.service.content.ContentStores;
import dev.berth.manager.service.snapshots.SnapshotsService;
import io.grpc.stub.StreamObserver;

/** {@code containerd.services.diff.v1.Diff}: a thin adapter over {@link ContentDiffer} and a namespace's content. */
public final class DiffService extends DiffGrpc.DiffImplBase {

    private final ContentStores stores;
    private final ContentDiffer differ;
    private final boolean allowDevices;

    /** {@code allowDevices}: whether layers may create device nodes (berthd runs as root, as containerd). */
    public DiffService(ContentStores stores, ContentDiffer differ, boolean allowDevices) {
        this.stores = stores;
        this.differ = differ;
        this.allowDevices = allowDevices;
    }

    @Override
    public void apply(ApplyRequest req, StreamObserver<ApplyResponse> response) {
        Calls.unary(response, () -> {
            String ns = RequestMetadata.namespace("diff apply");
            Descriptor applied = differ.apply(stores.open(ns, RequestMetadata.lease()),
                    Descriptors.fromProto("diff apply", req.getDiff()),
                    SnapshotsService.fromProto(req.getMountsList()), allowDevices);
            return ApplyResponse.newBuilder().setApplied(Descriptors.toProto(applied)).build();
        });
    }

    @Override
    public void diff(DiffRequest req, StreamObserver<DiffResponse> response) {
        Calls.unary(response, () -> {
            String ns = RequestMetadata.namespace("diff");
            Descriptor d = differ.compare(stores.open(ns, RequestMetadata.lease()),
                    SnapshotsService.fromProto(req.getLeftList()), SnapshotsService.fromProto(req.getRightList()),
                    req.getMediaType(), req.getRef(), req.getLabelsMap());
            return DiffResponse.newBuilder().setDiff(Descriptors.toProto(d)).build();
        });
    }
}
