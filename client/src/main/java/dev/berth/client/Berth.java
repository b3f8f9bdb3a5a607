package dev.berth.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.client.transport.UnixChannel;
import io.grpc.Channel;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A client of berthd bound to one namespace: docker's container model through berthd's engine service
 * ({@link #containers()}, {@link #images()}, {@link #volumes()}, {@link #networks()},
 * {@link #system()}). Every call carries the
 * {@code containerd-namespace} metadata, as ctr's do; a refused call throws {@link DaemonException}.
 *
 * <pre>{@code
 * try (Berth berth = Berth.connect(Path.of("/run/berth/berthd.sock"))) {
 *     berth.images().pull("busybox", progress -> { });
 *     ContainerConfig config = new ContainerConfig.Builder().image("busybox").cmd(List.of("echo", "hi")).build();
 *     int status = berth.containers().run("hello", config, HostConfig.EMPTY, Stdio.inherit());
 * }
 * }</pre>
 */
public final class Berth implements AutoCloseable {
    /** berthd's default socket. */
    public static final Path DEFAULT_SOCKET = Path.of("/run/berth/berthd.sock");
    public static final String DEFAULT_NAMESPACE = "default";

    private static final Metadata.Key<String> NAMESPACE =
            Metadata.Key.of("containerd-namespace", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> LEASE =
            Metadata.Key.of("containerd-lease", Metadata.ASCII_STRING_MARSHALLER);

    private final String namespace;
    private final ManagedChannel channel;
    /** False when the channel is the embedder's: then closing this client leaves it open. */
    private final boolean owned;
    private final ClientInterceptor metadata;
    private final Stubs stubs;

    private Berth(String namespace, ManagedChannel channel, boolean owned) {
        this.namespace = namespace;
        this.channel = channel;
        this.owned = owned;
        Metadata headers = new Metadata();
        headers.put(NAMESPACE, namespace);
        this.metadata = MetadataUtils.newAttachHeadersInterceptor(headers);
        this.stubs = new Stubs(channel, metadata);
    }

    /** berthd on {@code socket}, namespace {@code default}; nothing is sent until the first call. */
    public static Berth connect(Path socket) {
        return connect(socket, DEFAULT_NAMESPACE);
    }

    /**
     * berthd on the unix socket {@code socket}, bound to {@code namespace}: gRPC over the JDK's unix socket and
     * the client library's own HTTP/2 ({@link UnixChannel}), which starts in a fraction of grpc-netty's time.
     */
    public static Berth connect(Path socket, String namespace) {
        // berthd's and containerd's limit
        return new Berth(namespace, UnixChannel.of(socket, 16 << 20), true);
    }

    /**
     * A client over a channel the embedder already has, e.g. berthd's in-process one
     * ({@code Berthd.open(config, sys).channel()}); {@link #close()} leaves that channel open.
     */
    public static Berth over(ManagedChannel channel, String namespace) {
        return new Berth(namespace, channel, false);
    }

    /**
     * Starts connecting to berthd now, in the background (gRPC's {@code getState(true)}), so that the connection is
     * made while the caller prepares its first call, which waits for it; a client that calls at once gains nothing.
     */
    public Berth connectInBackground() {
        channel.getState(true);
        return this;
    }

    public String namespace() {
        return namespace;
    }

    public Containers containers() {
        return new Containers(stubs);
    }

    public Images images() {
        return new Images(stubs);
    }

    public Builds builds() {
        return new Builds(stubs);
    }

    public Volumes volumes() {
        return new Volumes(stubs);
    }

    public Networks networks() {
        return new Networks(stubs);
    }

    public Daemon system() {
        return new Daemon(stubs);
    }

    /** docker's events of the namespace as they happen (see {@link Daemon#events}); close the stream to stop. */
    public Stream<JsonNode> events(Options.Events options) {
        return system().events(options);
    }

    /**
     * A stub of any of berthd's services (containerd's v1 services, Berth's transfer service) bound to this
     * client's namespace, for what the typed calls do not cover: {@code berth.stub(ContentGrpc::newBlockingStub)}.
     */
    public <S extends AbstractStub<S>> S stub(Function<Channel, S> factory) {
        return factory.apply(channel).withInterceptors(metadata);
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

    @Override
    public void close() {
        if (!owned) {
            return;
        }
        channel.shutdownNow();
        try {
            channel.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
