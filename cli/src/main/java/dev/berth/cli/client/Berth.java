package dev.berth.cli.client;

import dev.berth.api.services.containers.v1.Container;
import dev.berth.api.services.containers.v1.ContainersGrpc;
import dev.berth.api.services.containers.v1.ListContainersRequest;
import dev.berth.api.services.content.v1.ContentGrpc;
import dev.berth.api.services.events.v1.EventsGrpc;
import dev.berth.api.services.images.v1.ImagesGrpc;
import dev.berth.api.services.introspection.v1.IntrospectionGrpc;
import dev.berth.api.services.leases.v1.LeasesGrpc;
import dev.berth.api.services.snapshots.v1.SnapshotsGrpc;
import dev.berth.api.services.tasks.v1.TasksGrpc;
import dev.berth.api.services.transfer.v1.TransferGrpc;
import dev.berth.api.services.version.v1.VersionGrpc;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A connection to berthd on its unix socket, bound to one namespace: every call carries the
 * {@code containerd-namespace} metadata, as ctr's do. Hands out blocking stubs of containerd's v1 services and of
 * Berth's transfer service.
 */
public final class Berth implements AutoCloseable {
    private static final Metadata.Key<String> NAMESPACE =
            Metadata.Key.of("containerd-namespace", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> LEASE =
            Metadata.Key.of("containerd-lease", Metadata.ASCII_STRING_MARSHALLER);

    private final String address;
    private final String namespace;
    private final EventLoopGroup group;
    private final ManagedChannel channel;
    private final ClientInterceptor metadata;

    private Berth(String address, String namespace, EventLoopGroup group, ManagedChannel channel) {
        this.address = address;
        this.namespace = namespace;
        this.group = group;
        this.channel = channel;
        Metadata headers = new Metadata();
        headers.put(NAMESPACE, namespace);
        this.metadata = MetadataUtils.newAttachHeadersInterceptor(headers);
    }

    /**
     * For {@code stub.withInterceptors(…)}: the stub's calls work under lease {@code id} ({@code containerd-lease}
     * metadata, as ctr sends), so what they create is held by the lease until it is deleted.
     */
    public static ClientInterceptor underLease(String id) {
        Metadata headers = new Metadata();
        headers.put(LEASE, id);
        return MetadataUtils.newAttachHeadersInterceptor(headers);
    }

    /** A channel to the socket at {@code address}; nothing is sent until the first call. */
    public static Berth connect(String address, String namespace) {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        ManagedChannel channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(address))
                .channelType(EpollDomainSocketChannel.class)
                .eventLoopGroup(group)
                .usePlaintext()
                // berthd's and containerd's limit
                .maxInboundMessageSize(16 << 20)
                .build();
        return new Berth(address, namespace, group, channel);
    }

    public String address() {
        return address;
    }

    public String namespace() {
        return namespace;
    }

    public ContainersGrpc.ContainersBlockingStub containers() {
        return ContainersGrpc.newBlockingStub(channel).withInterceptors(metadata);
    }

    /**
     * The namespace's containers matching {@code request}'s filters, through {@code ListStream}: one message per
     * container, so the list has no size limit (a {@code List} answer fails past gRPC's 16 MiB, which 6,000
     * containers or three with a 6 MB environment reach).
     */
    public List<Container> listContainers(ListContainersRequest request) {
        List<Container> containers = new ArrayList<>();
        containers().listStream(request).forEachRemaining(m -> containers.add(m.getContainer()));
        return containers;
    }

    public TasksGrpc.TasksBlockingStub tasks() {
        return TasksGrpc.newBlockingStub(channel).withInterceptors(metadata);
    }

    public ImagesGrpc.ImagesBlockingStub images() {
        return ImagesGrpc.newBlockingStub(channel).withInterceptors(metadata);
    }

    public ContentGrpc.ContentBlockingStub content() {
        return ContentGrpc.newBlockingStub(channel).withInterceptors(metadata);
    }

    public SnapshotsGrpc.SnapshotsBlockingStub snapshots() {
        return SnapshotsGrpc.newBlockingStub(channel).withInterceptors(metadata);
    }

    public LeasesGrpc.LeasesBlockingStub leases() {
        return LeasesGrpc.newBlockingStub(channel).withInterceptors(metadata);
    }

    public EventsGrpc.EventsBlockingStub events() {
        return EventsGrpc.newBlockingStub(channel).withInterceptors(metadata);
    }

    public TransferGrpc.TransferBlockingStub transfer() {
        return TransferGrpc.newBlockingStub(channel).withInterceptors(metadata);
    }

    /** For the client-streaming Import. */
    public TransferGrpc.TransferStub transferAsync() {
        return TransferGrpc.newStub(channel).withInterceptors(metadata);
    }

    public VersionGrpc.VersionBlockingStub version() {
        return VersionGrpc.newBlockingStub(channel).withInterceptors(metadata);
    }

    public IntrospectionGrpc.IntrospectionBlockingStub introspection() {
        return IntrospectionGrpc.newBlockingStub(channel).withInterceptors(metadata);
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    }
}
