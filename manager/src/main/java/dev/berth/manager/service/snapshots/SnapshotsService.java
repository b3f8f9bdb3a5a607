package dev.berth.manager.service.snapshots;

import com.google.protobuf.Empty;
import dev.berth.api.errdefs.BerthException;
import dev.berth.api.services.snapshots.v1.CleanupRequest;
import dev.berth.api.services.snapshots.v1.CommitSnapshotRequest;
import dev.berth.api.services.snapshots.v1.Info;
import dev.berth.api.services.snapshots.v1.Kind;
import dev.berth.api.services.snapshots.v1.ListSnapshotsRequest;
import dev.berth.api.services.snapshots.v1.ListSnapshotsResponse;
import dev.berth.api.services.snapshots.v1.MountsRequest;
import dev.berth.api.services.snapshots.v1.MountsResponse;
import dev.berth.api.services.snapshots.v1.PrepareSnapshotRequest;
import dev.berth.api.services.snapshots.v1.PrepareSnapshotResponse;
import dev.berth.api.services.snapshots.v1.RemoveSnapshotRequest;
import dev.berth.api.services.snapshots.v1.SnapshotsGrpc;
import dev.berth.api.services.snapshots.v1.StatSnapshotRequest;
import dev.berth.api.services.snapshots.v1.StatSnapshotResponse;
import dev.berth.api.services.snapshots.v1.UpdateSnapshotRequest;
import dev.berth.api.services.snapshots.v1.UpdateSnapshotResponse;
import dev.berth.api.services.snapshots.v1.UsageRequest;
import dev.berth.api.services.snapshots.v1.UsageResponse;
import dev.berth.api.events.SnapshotCommit;
import dev.berth.api.events.SnapshotPrepare;
import dev.berth.api.events.SnapshotRemove;
import dev.berth.manager.event.Publisher;
import dev.berth.manager.event.Topics;
import dev.berth.manager.filters.Filter;
import dev.berth.manager.service.Calls;
import dev.berth.manager.service.Protos;
import dev.berth.manager.service.RequestMetadata;
import dev.berth.manager.snapshot.Mount;
import dev.berth.manager.snapshot.SnapshotInfo;
import dev.berth.manager.snapshot.Snapshotter;
import dev.berth.manager.snapshot.Usage;
import io.grpc.stub.StreamObserver;
import java.util.List;

/** {@code containerd.services.snapshots.v1.Snapshots}: a thin adapter over a namespace's {@link Snapshotter}s. */
public final class SnapshotsService extends SnapshotsGrpc.SnapshotsImplBase {

    /** Infos per List message, as containerd sends them. */
    private static final int LIST_BLOCK = 100;

    private final Snapshotters snapshotters;
    private final Publisher publisher;

    /** {@code publisher} receives containerd's /snapshot/prepare, /snapshot/commit and /snapshot/remove events. */
    public SnapshotsService(Snapshotters snapshotters, Publisher publisher) {
        this.snapshotters = snapshotters;
        this.publisher = publisher;
    }

    private Snapshotter snapshotter(String operation, String name) {
        return snapshotters.open(RequestMetadata.namespace(operation), name, RequestMetadata.lease());
    }

    @Override
    public void prepare(PrepareSnapshotRequest req, StreamObserver<PrepareSnapshotResponse> response) {
        Calls.unary(response, () -> {
            List<Mount> mounts = snapshotter("snapshot prepare", req.getSnapshotter())
                    .prepare(key("snapshot prepare", req.getKey()), req.getParent(), req.getLabelsMap());
            publisher.publish(RequestMetadata.namespace("snapshot prepare"), Topics.SNAPSHOT_PREPARE,
                    SnapshotPrepare.newBuilder().setKey(req.getKey()).setParent(req.getParent()).build());
            return PrepareSnapshotResponse.newBuilder().addAllMounts(toProto(mounts)).build();
        });
    }

    @Override
    public void view(dev.berth.api.services.snapshots.v1.ViewSnapshotRequest req,
                     StreamObserver<dev.berth.api.services.snapshots.v1.ViewSnapshotResponse> response) {
        Calls.unary(response, () -> dev.berth.api.services.snapshots.v1.ViewSnapshotResponse.newBuilder()
                .addAllMounts(toProto(snapshotter("snapshot view", req.getSnapshotter())
                        .view(key("snapshot view", req.getKey()), req.getParent(), req.getLabelsMap())))
                .build());
    }

    @Override
    public void mounts(MountsRequest req, StreamObserver<MountsResponse> response) {
        Calls.unary(response, () -> MountsResponse.newBuilder().addAllMounts(toProto(
                snapshotter("snapshot mounts", req.getSnapshotter()).mounts(key("snapshot mounts", req.getKey()))))
                .build());
    }

    @Override
    public void commit(CommitSnapshotRequest req, StreamObserver<Empty> response) {
        Calls.unary(response, () -> {
            snapshotter("snapshot commit", req.getSnapshotter())
                    .commit(key("snapshot commit", req.getName()), key("snapshot commit", req.getKey()),
                            req.getLabelsMap());
            publisher.publish(RequestMetadata.namespace("snapshot commit"), Topics.SNAPSHOT_COMMIT,
                    SnapshotCommit.newBuilder().setKey(req.getKey()).setName(req.getName()).build());
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void remove(RemoveSnapshotRequest req, StreamObserver<Empty> response) {
        Calls.unary(response, () -> {
            snapshotter("snapshot remove", req.getSnapshotter()).remove(key("snapshot remove", req.getKey()));
            publisher.publish(RequestMetadata.namespace("snapshot remove"), Topics.SNAPSHOT_REMOVE,
                    SnapshotRemove.newBuilder().setKey(req.getKey()).build());
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void stat(StatSnapshotRequest req, StreamObserver<StatSnapshotResponse> response) {
        Calls.unary(response, () -> StatSnapshotResponse.newBuilder().setInfo(toProto(
                snapshotter("snapshot stat", req.getSnapshotter()).stat(key("snapshot stat", req.getKey()))))
                .build());
    }

    @Override
    public void update(UpdateSnapshotRequest req, StreamObserver<UpdateSnapshotResponse> response) {
        Calls.unary(response, () -> UpdateSnapshotResponse.newBuilder().setInfo(toProto(
                snapshotter("snapshot update", req.getSnapshotter()).update(
                        key("snapshot update", req.getInfo().getName()), req.getInfo().getLabelsMap(),
                        Protos.paths(req.getUpdateMask()))))
                .build());
    }

    @Override
    public void list(ListSnapshotsRequest req, StreamObserver<ListSnapshotsResponse> response) {
        List<SnapshotInfo> infos;
        Filter filter;
        try {
            filter = Filter.parseAll(req.getFiltersList());
            infos = snapshotter("snapshot list", req.getSnapshotter()).list();
        } catch (java.io.IOException | RuntimeException e) {
            response.onError(dev.berth.api.errdefs.GrpcErrors.toStatusException(e));
            return;
        }
        ListSnapshotsResponse.Builder block = ListSnapshotsResponse.newBuilder();
        for (SnapshotInfo info : infos) {
            if (!filter.matches(path -> java.util.Optional.ofNullable(field(info, path)))) {
                continue;
            }
            block.addInfo(toProto(info));
            if (block.getInfoCount() >= LIST_BLOCK) {
                response.onNext(block.build());
                block = ListSnapshotsResponse.newBuilder();
            }
        }
        if (block.getInfoCount() > 0) {
            response.onNext(block.build());
        }
        response.onCompleted();
    }

    @Override
    public void usage(UsageRequest req, StreamObserver<UsageResponse> response) {
        Calls.unary(response, () -> {
            Usage u = snapshotter("snapshot usage", req.getSnapshotter()).usage(key("snapshot usage", req.getKey()));
            return UsageResponse.newBuilder().setSize(u.size()).setInodes(u.inodes()).build();
        });
    }

    @Override
    public void cleanup(CleanupRequest req, StreamObserver<Empty> response) {
        Calls.unary(response, () -> {
            snapshotter("snapshot cleanup", req.getSnapshotter()).cleanup();
            return Empty.getDefaultInstance();
        });
    }

    private static String key(String operation, String key) {
        if (key.isEmpty()) {
            throw BerthException.invalidArgument(operation + ": key must not be empty");
        }
        return key;
    }

    private static String field(SnapshotInfo info, List<String> path) {
        return switch (path.getFirst()) {
            case "name" -> info.name();
            case "parent" -> info.parent();
            case "kind" -> info.kind().name().toLowerCase(java.util.Locale.ROOT);
            case "labels" -> path.size() > 1 ? info.labels().get(path.get(1)) : null;
            default -> null;
        };
    }

    public static List<dev.berth.api.types.Mount> toProto(List<Mount> mounts) {
        return mounts.stream().map(m -> dev.berth.api.types.Mount.newBuilder()
                .setType(m.type()).setSource(m.source()).addAllOptions(m.options()).build()).toList();
    }

    public static List<Mount> fromProto(List<dev.berth.api.types.Mount> mounts) {
        return mounts.stream().map(m -> new Mount(m.getType(), m.getSource(), m.getOptionsList())).toList();
    }

    static Info toProto(SnapshotInfo info) {
        return Info.newBuilder()
                .setName(info.name())
                .setParent(info.parent())
                .setKind(Kind.forNumber(info.kind().number()))
                .setCreatedAt(Protos.timestamp(info.created()))
                .setUpdatedAt(Protos.timestamp(info.updated()))
                .putAllLabels(info.labels())
                .build();
    }
}
