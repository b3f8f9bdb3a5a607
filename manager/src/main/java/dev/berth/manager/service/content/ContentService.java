package dev.berth.manager.service.content;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.GrpcErrors;
import dev.berth.api.services.content.v1.AbortRequest;
import dev.berth.api.services.content.v1.ContentGrpc;
import dev.berth.api.services.content.v1.DeleteContentRequest;
import dev.berth.api.services.content.v1.Info;
import dev.berth.api.services.content.v1.InfoRequest;
import dev.berth.api.services.content.v1.InfoResponse;
import dev.berth.api.services.content.v1.ListContentRequest;
import dev.berth.api.services.content.v1.ListContentResponse;
import dev.berth.api.services.content.v1.ListStatusesRequest;
import dev.berth.api.services.content.v1.ListStatusesResponse;
import dev.berth.api.services.content.v1.ReadContentRequest;
import dev.berth.api.services.content.v1.ReadContentResponse;
import dev.berth.api.services.content.v1.Status;
import dev.berth.api.services.content.v1.StatusRequest;
import dev.berth.api.services.content.v1.StatusResponse;
import dev.berth.api.services.content.v1.UpdateRequest;
import dev.berth.api.services.content.v1.UpdateResponse;
import dev.berth.api.services.content.v1.WriteContentRequest;
import dev.berth.api.services.content.v1.WriteContentResponse;
import dev.berth.manager.content.ContentInfo;
import dev.berth.manager.content.ContentStore;
import dev.berth.manager.content.Digest;
import dev.berth.manager.content.IngestStatus;
import dev.berth.api.events.ContentDelete;
import dev.berth.manager.event.Publisher;
import dev.berth.manager.event.Topics;
import dev.berth.manager.filters.Filter;
import dev.berth.manager.service.Calls;
import dev.berth.manager.service.Protos;
import dev.berth.manager.service.RequestMetadata;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.List;
import java.util.Map;

/** {@code containerd.services.content.v1.Content}: a thin adapter over a namespace's {@link ContentStore}. */
public final class ContentService extends ContentGrpc.ContentImplBase {

    /** Bytes per Read response message: large enough to keep a local socket busy, far below 16 MiB. */
    private static final int READ_CHUNK = 1 << 20;

    private final ContentStores stores;
    private final Publisher publisher;

    /** {@code publisher} receives containerd's /content/delete events. */
    public ContentService(ContentStores stores, Publisher publisher) {
        this.stores = stores;
        this.publisher = publisher;
    }

    private ContentStore store(String operation) {
        return stores.open(RequestMetadata.namespace(operation), RequestMetadata.lease());
    }

    @Override
    public void info(InfoRequest req, StreamObserver<InfoResponse> response) {
        Calls.unary(response, () -> InfoResponse.newBuilder()
                .setInfo(toProto(store("content info").info(digest("content info", req.getDigest())))).build());
    }

    @Override
    public void update(UpdateRequest req, StreamObserver<UpdateResponse> response) {
        Calls.unary(response, () -> {
            Digest d = digest("content update", req.getInfo().getDigest());
            ContentInfo info = store("content update").update(d, req.getInfo().getLabelsMap(),
                    Protos.paths(req.getUpdateMask()));
            return UpdateResponse.newBuilder().setInfo(toProto(info)).build();
        });
    }

    @Override
    public void list(ListContentRequest req, StreamObserver<ListContentResponse> response) {
        Calls.unary(response, () -> {
            Filter filter = Filter.parseAll(req.getFiltersList());
            ListContentResponse.Builder out = ListContentResponse.newBuilder();
            for (ContentInfo info : store("content list").list()) {
                if (filter.matches(path -> java.util.Optional.ofNullable(field(info, path)))) {
                    out.addInfo(toProto(info));
                }
            }
            return out.build();
        });
    }

    @Override
    public void delete(DeleteContentRequest req, StreamObserver<Empty> response) {
        Calls.unary(response, () -> {
            Digest d = digest("content delete", req.getDigest());
            store("content delete").delete(d);
            publisher.publish(RequestMetadata.namespace("content delete"), Topics.CONTENT_DELETE,
                    ContentDelete.newBuilder().setDigest(d.toString()).build());
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void read(ReadContentRequest req, StreamObserver<ReadContentResponse> response) {
        try {
            Digest d = digest("content read", req.getDigest());
            ContentStore store = store("content read");
            long size = store.info(d).size();
            long offset = Math.max(0, req.getOffset());
            if (offset > size) {
                throw new BerthException(dev.berth.api.errdefs.ErrorKind.INVALID_ARGUMENT,
                        "content read " + d + ": offset " + offset + " past object length " + size);
            }
            long end = req.getSize() <= 0 || offset + req.getSize() > size ? size : offset + req.getSize();
            try (SeekableByteChannel ch = store.read(d)) {
                ch.position(offset);
                ByteBuffer buf = ByteBuffer.allocate((int) Math.min(READ_CHUNK, Math.max(1, end - offset)));
                while (offset < end) {
                    buf.clear().limit((int) Math.min(buf.capacity(), end - offset));
                    int n = ch.read(buf);
                    if (n < 0) {
                        throw BerthException.internal("content read " + d + ": blob shorter than its size");
                    }
                    buf.flip();
                    response.onNext(ReadContentResponse.newBuilder().setOffset(offset)
                            .setData(ByteString.copyFrom(buf)).build());
                    offset += n;
                }
            }
        } catch (IOException | RuntimeException e) {
            response.onError(GrpcErrors.toStatusException(e));
            return;
        }
        response.onCompleted();
    }

    @Override
    public void status(StatusRequest req, StreamObserver<StatusResponse> response) {
        Calls.unary(response, () -> StatusResponse.newBuilder()
                .setStatus(toProto(store("content status").status(req.getRef()))).build());
    }

    @Override
    public void listStatuses(ListStatusesRequest req, StreamObserver<ListStatusesResponse> response) {
        Calls.unary(response, () -> {
            Filter filter = Filter.parseAll(req.getFiltersList());
            ListStatusesResponse.Builder out = ListStatusesResponse.newBuilder();
            for (IngestStatus s : store("content list statuses").listStatuses()) {
                if (filter.matches(path -> path.equals(List.of("ref")) ? java.util.Optional.of(s.ref()) : java.util.Optional.empty())) {
                    out.addStatuses(toProto(s));
                }
            }
            return out.build();
        });
    }

    @Override
    public void abort(AbortRequest req, StreamObserver<Empty> response) {
        Calls.unary(response, () -> {
            store("content abort").abort(req.getRef());
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public StreamObserver<WriteContentRequest> write(StreamObserver<WriteContentResponse> response) {
        return new WriteSession(store("content write"), response);
    }

    static Digest digest(String operation, String s) {
        try {
            return Digest.parse(s);
        } catch (IllegalArgumentException e) {
            throw BerthException.invalidArgument(operation + ": " + e.getMessage());
        }
    }

    private static String field(ContentInfo info, List<String> path) {
        return switch (path.getFirst()) {
            case "digest" -> info.digest().toString();
            case "size" -> Long.toString(info.size());
            case "labels" -> path.size() > 1 ? info.labels().get(path.get(1)) : null;
            default -> null;
        };
    }

    static Info toProto(ContentInfo info) {
        return Info.newBuilder()
                .setDigest(info.digest().toString())
                .setSize(info.size())
                .setCreatedAt(Protos.timestamp(info.createdAt()))
                .setUpdatedAt(Protos.timestamp(info.updatedAt()))
                .putAllLabels(info.labels())
                .build();
    }

    static Status toProto(IngestStatus s) {
        return Status.newBuilder()
                .setRef(s.ref())
                .setOffset(s.offset())
                .setTotal(s.total())
                .setExpected(s.expected() == null ? "" : s.expected().toString())
                .setStartedAt(Protos.timestamp(s.startedAt()))
                .setUpdatedAt(Protos.timestamp(s.updatedAt()))
                .build();
    }

    static Map<String, String> labels(WriteContentRequest req) {
        return req.getLabelsMap();
    }
}
