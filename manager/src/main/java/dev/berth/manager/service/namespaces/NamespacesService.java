package dev.berth.manager.service.namespaces;

import com.google.protobuf.Empty;
import dev.berth.api.events.NamespaceCreate;
import dev.berth.api.events.NamespaceDelete;
import dev.berth.api.events.NamespaceUpdate;
import dev.berth.api.services.namespaces.v1.CreateNamespaceRequest;
import dev.berth.api.services.namespaces.v1.CreateNamespaceResponse;
import dev.berth.api.services.namespaces.v1.DeleteNamespaceRequest;
import dev.berth.api.services.namespaces.v1.GetNamespaceRequest;
import dev.berth.api.services.namespaces.v1.GetNamespaceResponse;
import dev.berth.api.services.namespaces.v1.ListNamespacesRequest;
import dev.berth.api.services.namespaces.v1.ListNamespacesResponse;
import dev.berth.api.services.namespaces.v1.Namespace;
import dev.berth.api.services.namespaces.v1.NamespacesGrpc;
import dev.berth.api.services.namespaces.v1.UpdateNamespaceRequest;
import dev.berth.api.services.namespaces.v1.UpdateNamespaceResponse;
import dev.berth.manager.event.Publisher;
import dev.berth.manager.event.Topics;
import dev.berth.manager.metadata.NamespaceRecord;
import dev.berth.manager.metadata.NamespaceStore;
import dev.berth.manager.service.Calls;
import dev.berth.manager.service.Protos;
import dev.berth.manager.service.RequestMetadata;
import io.grpc.stub.StreamObserver;

/**
 * {@code containerd.services.namespaces.v1.Namespaces}: a thin adapter over the {@link NamespaceStore}. Requests
 * name the namespace they are about; the call's own namespace only says where create and update events go.
 */
public final class NamespacesService extends NamespacesGrpc.NamespacesImplBase {

    private final NamespaceStore namespaces;
    private final Publisher publisher;

    public NamespacesService(NamespaceStore namespaces, Publisher publisher) {
        this.namespaces = namespaces;
        this.publisher = publisher;
    }

    @Override
    public void get(GetNamespaceRequest req, StreamObserver<GetNamespaceResponse> response) {
        Calls.unary(response, () -> GetNamespaceResponse.newBuilder()
                .setNamespace(toProto(namespaces.get(req.getName()))).build());
    }

    /** containerd ignores the request's filter, and so does this. */
    @Override
    public void list(ListNamespacesRequest req, StreamObserver<ListNamespacesResponse> response) {
        Calls.unary(response, () -> {
            ListNamespacesResponse.Builder out = ListNamespacesResponse.newBuilder();
            for (NamespaceRecord ns : namespaces.list()) {
                out.addNamespaces(toProto(ns));
            }
            return out.build();
        });
    }

    @Override
    public void create(CreateNamespaceRequest req, StreamObserver<CreateNamespaceResponse> response) {
        Calls.unary(response, () -> {
            NamespaceRecord created = namespaces.create(req.getNamespace().getName(),
                    req.getNamespace().getLabelsMap());
            publisher.publish(eventNamespace(created.name()), Topics.NAMESPACE_CREATE, NamespaceCreate.newBuilder()
                    .setName(created.name()).putAllLabels(created.labels()).build());
            return CreateNamespaceResponse.newBuilder().setNamespace(toProto(created)).build();
        });
    }

    /**
     * Updates labels by mask ({@code labels.<key>} only) or replaces them all. The event carries the request's
     * labels, as containerd's does; the response carries the resulting record (containerd leaves it empty).
     */
    @Override
    public void update(UpdateNamespaceRequest req, StreamObserver<UpdateNamespaceResponse> response) {
        Calls.unary(response, () -> {
            Namespace ns = req.getNamespace();
            NamespaceRecord updated = namespaces.update(new NamespaceRecord(ns.getName(), ns.getLabelsMap()),
                    Protos.paths(req.getUpdateMask()));
            publisher.publish(eventNamespace(updated.name()), Topics.NAMESPACE_UPDATE, NamespaceUpdate.newBuilder()
                    .setName(ns.getName()).putAllLabels(ns.getLabelsMap()).build());
            return UpdateNamespaceResponse.newBuilder().setNamespace(toProto(updated)).build();
        });
    }

    /** FAILED_PRECONDITION while the namespace still holds images, blobs, containers or snapshots. */
    @Override
    public void delete(DeleteNamespaceRequest req, StreamObserver<Empty> response) {
        Calls.unary(response, () -> {
            namespaces.delete(req.getName());
            // published in the deleted namespace itself, as containerd does
            publisher.publish(req.getName(), Topics.NAMESPACE_DELETE,
                    NamespaceDelete.newBuilder().setName(req.getName()).build());
            return Empty.getDefaultInstance();
        });
    }

    /**
     * containerd publishes create and update events in the caller's namespace (ctr always sends one); a caller
     * that sent none gets them in the namespace the request is about instead of an error after the change.
     */
    private static String eventNamespace(String subject) {
        return RequestMetadata.sentNamespace().orElse(subject);
    }

    private static Namespace toProto(NamespaceRecord ns) {
        return Namespace.newBuilder().setName(ns.name()).putAllLabels(ns.labels()).build();
    }
}
