package dev.berth.manager.service.containers;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.GrpcErrors;
import dev.berth.api.events.ContainerCreate;
import dev.berth.api.events.ContainerDelete;
import dev.berth.api.events.ContainerUpdate;
import dev.berth.api.services.containers.v1.Container;
import dev.berth.api.services.containers.v1.ContainersGrpc;
import dev.berth.api.services.containers.v1.CreateContainerRequest;
import dev.berth.api.services.containers.v1.CreateContainerResponse;
import dev.berth.api.services.containers.v1.DeleteContainerRequest;
import dev.berth.api.services.containers.v1.GetContainerRequest;
import dev.berth.api.services.containers.v1.GetContainerResponse;
import dev.berth.api.services.containers.v1.ListContainerMessage;
import dev.berth.api.services.containers.v1.ListContainersRequest;
import dev.berth.api.services.containers.v1.ListContainersResponse;
import dev.berth.api.services.containers.v1.UpdateContainerRequest;
import dev.berth.api.services.containers.v1.UpdateContainerResponse;
import dev.berth.manager.event.Publisher;
import dev.berth.manager.event.Topics;
import dev.berth.manager.filters.Filter;
import dev.berth.manager.metadata.AnyValue;
import dev.berth.manager.metadata.ContainerRecord;
import dev.berth.manager.metadata.ContainerStore;
import dev.berth.manager.service.Calls;
import dev.berth.manager.service.Protos;
import dev.berth.manager.service.RequestMetadata;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code containerd.services.containers.v1.Containers}: a thin adapter over a namespace's {@link ContainerStore}. */
public final class ContainersService extends ContainersGrpc.ContainersImplBase {

    private final ContainerStores stores;
    private final Publisher publisher;

    public ContainersService(ContainerStores stores, Publisher publisher) {
        this.stores = stores;
        this.publisher = publisher;
    }

    @Override
    public void get(GetContainerRequest req, StreamObserver<GetContainerResponse> response) {
        Calls.unary(response, () -> GetContainerResponse.newBuilder()
                .setContainer(toProto(stores.open(RequestMetadata.namespace("get container")).get(req.getId())))
                .build());
    }

    @Override
    public void list(ListContainersRequest req, StreamObserver<ListContainersResponse> response) {
        Calls.unary(response, () -> ListContainersResponse.newBuilder()
                .addAllContainers(selected("list containers", req.getFiltersList())).build());
    }

    /** As {@link #list}, one container per message, so no message nears gRPC's size limit. */
    @Override
    public void listStream(ListContainersRequest req, StreamObserver<ListContainerMessage> response) {
        List<Container> containers;
        try {
            containers = selected("list containers", req.getFiltersList());
        } catch (IOException | RuntimeException e) {
            response.onError(GrpcErrors.toStatusException(e));
            return;
        }
        for (Container c : containers) {
            response.onNext(ListContainerMessage.newBuilder().setContainer(c).build());
        }
        response.onCompleted();
    }

    @Override
    public void create(CreateContainerRequest req, StreamObserver<CreateContainerResponse> response) {
        Calls.unary(response, () -> {
            String ns = RequestMetadata.namespace("create container");
            Container created = toProto(stores.open(ns).create(fromProto(req.getContainer())));
            ContainerCreate.Runtime.Builder runtime = ContainerCreate.Runtime.newBuilder()
                    .setName(created.getRuntime().getName());
            if (created.getRuntime().hasOptions()) {
                runtime.setOptions(created.getRuntime().getOptions());
            }
            publisher.publish(ns, Topics.CONTAINER_CREATE, ContainerCreate.newBuilder()
                    .setId(created.getId()).setImage(created.getImage()).setRuntime(runtime).build());
            return CreateContainerResponse.newBuilder().setContainer(created).build();
        });
    }

    /**
     * Updates the masked fields ({@code labels[.<key>]}, {@code spec}, {@code extensions[.<key>]}, {@code image},
     * {@code snapshotkey}) or, with no mask, all of them; snapshotter and runtime are immutable.
     */
    @Override
    public void update(UpdateContainerRequest req, StreamObserver<UpdateContainerResponse> response) {
        Calls.unary(response, () -> {
            String ns = RequestMetadata.namespace("update container");
            if (req.getContainer().getId().isEmpty()) {
                throw BerthException.invalidArgument("Container.ID required");
            }
            Container updated = toProto(stores.open(ns).update(fromProto(req.getContainer()),
                    Protos.paths(req.getUpdateMask())));
            publisher.publish(ns, Topics.CONTAINER_UPDATE, ContainerUpdate.newBuilder()
                    .setId(updated.getId())
                    .setImage(updated.getImage())
                    .putAllLabels(updated.getLabelsMap())
                    .setSnapshotKey(updated.getSnapshotKey())
                    .build());
            return UpdateContainerResponse.newBuilder().setContainer(updated).build();
        });
    }

    @Override
    public void delete(DeleteContainerRequest req, StreamObserver<Empty> response) {
        Calls.unary(response, () -> {
            String ns = RequestMetadata.namespace("delete container");
            stores.open(ns).delete(req.getId());
            publisher.publish(ns, Topics.CONTAINER_DELETE, ContainerDelete.newBuilder().setId(req.getId()).build());
            return Empty.getDefaultInstance();
        });
    }

    private List<Container> selected(String operation, List<String> filters) throws IOException {
        Filter filter = Filter.parseAll(filters);
        List<Container> out = new ArrayList<>();
        for (ContainerRecord c : stores.open(RequestMetadata.namespace(operation)).list()) {
            if (filter.matches(path -> field(c, path))) {
                out.add(toProto(c));
            }
        }
        return out;
    }

    /** containerd's container filter fields, and {@code snapshotter}; a field with an empty value is absent. */
    private static Optional<String> field(ContainerRecord c, List<String> path) {
        String value = switch (path.getFirst()) {
            case "id" -> c.id();
            case "image" -> c.image();
            case "snapshotter" -> c.snapshotter();
            case "runtime" -> path.size() == 2 && path.get(1).equals("name") ? c.runtime().name() : null;
            case "labels" -> path.size() == 2 ? c.labels().get(path.get(1)) : null;
            default -> null;
        };
        return Optional.ofNullable(value).filter(v -> !v.isEmpty());
    }

    static ContainerRecord fromProto(Container c) {
        Map<String, AnyValue> extensions = new HashMap<>();
        c.getExtensionsMap().forEach((k, v) -> extensions.put(k, fromProto(v)));
        return ContainerRecord.builder(c.getId())
                .labels(c.getLabelsMap())
                .image(c.getImage())
                .runtime(new ContainerRecord.Runtime(c.getRuntime().getName(),
                        c.getRuntime().hasOptions() ? fromProto(c.getRuntime().getOptions()) : AnyValue.EMPTY))
                .spec(c.hasSpec() ? fromProto(c.getSpec()) : AnyValue.EMPTY)
                .snapshotter(c.getSnapshotter())
                .snapshotKey(c.getSnapshotKey())
                .extensions(extensions)
                .build();
    }

    static Container toProto(ContainerRecord c) {
        Container.Runtime.Builder runtime = Container.Runtime.newBuilder().setName(c.runtime().name());
        if (!c.runtime().options().isEmpty()) {
            runtime.setOptions(toProto(c.runtime().options()));
        }
        Container.Builder out = Container.newBuilder()
                .setId(c.id())
                .putAllLabels(c.labels())
                .setImage(c.image())
                .setRuntime(runtime)
                .setSnapshotter(c.snapshotter())
                .setSnapshotKey(c.snapshotKey())
                .setCreatedAt(Protos.timestamp(c.createdAt()))
                .setUpdatedAt(Protos.timestamp(c.updatedAt()));
        if (!c.spec().isEmpty()) {
            out.setSpec(toProto(c.spec()));
        }
        c.extensions().forEach((k, v) -> out.putExtensions(k, toProto(v)));
        return out.build();
    }

    private static AnyValue fromProto(Any any) {
        return new AnyValue(any.getTypeUrl(), any.getValue().toByteArray());
    }

    private static Any toProto(AnyValue value) {
        return Any.newBuilder().setTypeUrl(value.typeUrl()).setValue(ByteString.copyFrom(value.value())).build();
    }
}
