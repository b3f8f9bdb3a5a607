package dev.berth.manager.service.leases;

import com.google.protobuf.Empty;
import dev.berth.api.services.leases.v1.AddResourceRequest;
import dev.berth.api.services.leases.v1.CreateRequest;
import dev.berth.api.services.leases.v1.CreateResponse;
import dev.berth.api.services.leases.v1.DeleteRequest;
import dev.berth.api.services.leases.v1.DeleteResourceRequest;
import dev.berth.api.services.leases.v1.Lease;
import dev.berth.api.services.leases.v1.LeasesGrpc;
import dev.berth.api.services.leases.v1.ListRequest;
import dev.berth.api.services.leases.v1.ListResourcesRequest;
import dev.berth.api.services.leases.v1.ListResourcesResponse;
import dev.berth.api.services.leases.v1.ListResponse;
import dev.berth.api.services.leases.v1.Resource;
import dev.berth.manager.filters.Filter;
import dev.berth.manager.metadata.LeaseRecord;
import dev.berth.manager.metadata.LeaseResource;
import dev.berth.manager.metadata.LeaseStore;
import dev.berth.manager.service.Calls;
import dev.berth.manager.service.Protos;
import dev.berth.manager.service.RequestMetadata;
import io.grpc.stub.StreamObserver;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * {@code containerd.services.leases.v1.Leases}: a thin adapter over a namespace's {@link LeaseStore}. containerd
 * publishes no lease events, and neither does this.
 */
public final class LeasesService extends LeasesGrpc.LeasesImplBase {

    private final LeaseStores stores;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public LeasesService(LeaseStores stores) {
        this(stores, Clock.systemUTC());
    }

    /** @param clock the time that goes into generated lease ids */
    public LeasesService(LeaseStores stores, Clock clock) {
        this.stores = stores;
        this.clock = clock;
    }

    private LeaseStore store(String operation) {
        return stores.open(RequestMetadata.namespace(operation));
    }

    /** Creates the lease; an empty id gets a random one, made as containerd's {@code leases.WithRandomID}. */
    @Override
    public void create(CreateRequest req, StreamObserver<CreateResponse> response) {
        Calls.unary(response, () -> {
            String id = req.getId().isEmpty() ? randomId() : req.getId();
            return CreateResponse.newBuilder()
                    .setLease(toProto(store("create lease").create(id, req.getLabelsMap()))).build();
        });
    }

    /**
     * Deletes the lease. What only it kept is collected in the background, or before the answer with
     * {@code sync}, as containerd does.
     */
    @Override
    public void delete(DeleteRequest req, StreamObserver<Empty> response) {
        Calls.unary(response, () -> {
            LeaseStore store = store("delete lease");
            store.delete(req.getId());
            if (req.getSync()) {
                store.collectGarbage();
            }
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void list(ListRequest req, StreamObserver<ListResponse> response) {
        Calls.unary(response, () -> {
            Filter filter = Filter.parseAll(req.getFiltersList());
            ListResponse.Builder out = ListResponse.newBuilder();
            for (LeaseRecord lease : store("list leases").list()) {
                if (filter.matches(path -> field(lease, path))) {
                    out.addLeases(toProto(lease));
                }
            }
            return out.build();
        });
    }

    @Override
    public void addResource(AddResourceRequest req, StreamObserver<Empty> response) {
        Calls.unary(response, () -> {
            store("add lease resource").addResource(req.getId(), fromProto(req.getResource()));
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void deleteResource(DeleteResourceRequest req, StreamObserver<Empty> response) {
        Calls.unary(response, () -> {
            store("delete lease resource").deleteResource(req.getId(), fromProto(req.getResource()));
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void listResources(ListResourcesRequest req, StreamObserver<ListResourcesResponse> response) {
        Calls.unary(response, () -> {
            ListResourcesResponse.Builder out = ListResourcesResponse.newBuilder();
            for (LeaseResource r : store("list lease resources").listResources(req.getId())) {
                out.addResources(Resource.newBuilder().setId(r.id()).setType(r.type()));
            }
            return out.build();
        });
    }

    /** {@code <nanosecond of the second>-<base64url of 3 random bytes>}, the form containerd's clients use too. */
    private String randomId() {
        byte[] b = new byte[3];
        random.nextBytes(b);
        return clock.instant().getNano() + "-" + Base64.getUrlEncoder().encodeToString(b);
    }

    /** containerd's lease filter fields; a field with an empty value is absent. */
    private static Optional<String> field(LeaseRecord lease, List<String> path) {
        String value = switch (path.getFirst()) {
            case "id" -> lease.id();
            case "labels" -> path.size() == 2 ? lease.labels().get(path.get(1)) : null;
            default -> null;
        };
        return Optional.ofNullable(value).filter(v -> !v.isEmpty());
    }

    private static LeaseResource fromProto(Resource r) {
        return new LeaseResource(r.getId(), r.getType());
    }

    private static Lease toProto(LeaseRecord lease) {
        return Lease.newBuilder()
                .setId(lease.id())
                .setCreatedAt(Protos.timestamp(lease.createdAt()))
                .putAllLabels(lease.labels())
                .build();
    }
}
