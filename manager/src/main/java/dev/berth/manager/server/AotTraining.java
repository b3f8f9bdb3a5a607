package dev.berth.manager.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import dev.berth.api.services.containers.v1.Container;
import dev.berth.api.services.containers.v1.ContainersGrpc;
import dev.berth.api.services.containers.v1.CreateContainerRequest;
import dev.berth.api.services.containers.v1.DeleteContainerRequest;
import dev.berth.api.services.containers.v1.ListContainersRequest;
import dev.berth.api.services.content.v1.ContentGrpc;
import dev.berth.api.services.content.v1.ListContentRequest;
import dev.berth.api.services.images.v1.DeleteImageRequest;
import dev.berth.api.services.images.v1.ImagesGrpc;
import dev.berth.api.services.images.v1.ListImagesRequest;
import dev.berth.api.services.introspection.v1.IntrospectionGrpc;
import dev.berth.api.services.introspection.v1.PluginsRequest;
import dev.berth.api.services.leases.v1.LeasesGrpc;
import dev.berth.api.services.leases.v1.ListRequest;
import dev.berth.api.services.namespaces.v1.ListNamespacesRequest;
import dev.berth.api.services.namespaces.v1.NamespacesGrpc;
import dev.berth.api.services.snapshots.v1.MountsRequest;
import dev.berth.api.services.snapshots.v1.PrepareSnapshotRequest;
import dev.berth.api.services.snapshots.v1.RemoveSnapshotRequest;
import dev.berth.api.services.snapshots.v1.SnapshotsGrpc;
import dev.berth.api.services.tasks.v1.ListTasksRequest;
import dev.berth.api.services.tasks.v1.TasksGrpc;
import dev.berth.api.services.transfer.v1.ImportOptions;
import dev.berth.api.services.transfer.v1.ImportRequest;
import dev.berth.api.services.transfer.v1.Progress;
import dev.berth.api.services.transfer.v1.TransferGrpc;
import dev.berth.api.services.version.v1.VersionGrpc;
import dev.berth.manager.diff.TarEntry;
import dev.berth.manager.diff.TarWriter;
import dev.berth.sys.LinuxSyscalls;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPOutputStream;

/**
 * The hidden {@code aot-training} action the build runs to record berthd's AOT cache (JEP 514/515): a real berthd
 * over a root under the given directory, served on its unix socket and called over it as ctr calls it (version,
 * plugins, namespaces; the import of a small image, unpacked; images, snapshots, a container created, listed and
 * deleted; tasks, content, leases); then closed and opened again over the same root, as after a restart, with two
 * tasks running ({@link TrainingShim}), to answer version and the task list. What it loaded is what a start, a
 * recovery and the first requests need.
 */
final class AotTraining {

    private static final String NAMESPACE = "aot-training";
    private static final String IMAGE = "docker.io/library/aot-training:latest";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BerthdConfig config;
    private final LinuxSyscalls sys;
    private final Launch launch;

    AotTraining(BerthdConfig config, LinuxSyscalls sys, Launch launch) {
        this.config = config;
        this.sys = sys;
        this.launch = launch;
    }

    void run() throws IOException, InterruptedException {
        try (Berthd berthd = Berthd.start(config, sys, launch)) {
            try (Client client = Client.connect(config.address())) {
                firstRequests(client);
            }
        }
        // the restart finds two running tasks of one shim server (answered by this JVM: the path of reattaching
        // them and listing them is what a restart with containers running takes); the binary never runs
        try (TrainingShim shim = TrainingShim.start(config.state(), NAMESPACE, List.of("task-1", "task-2"),
                config.state().resolve("training-shim.sock"), Path.of("/bin/false"));
             Berthd again = Berthd.start(config, sys, launch);
             Client client = Client.connect(config.address())) {
            client.version().version(com.google.protobuf.Empty.getDefaultInstance());
            var listed = client.tasks().list(ListTasksRequest.getDefaultInstance());
            if (listed.getTasksCount() != 2) {
                throw new IOException("aot training: restart: " + listed.getTasksCount() + " tasks listed, not 2");
            }
            if (config.dockerAddress().isPresent()) {
                dockerRequests(config.dockerAddress().get());
            }
        }
    }

    private static void firstRequests(Client client) throws IOException, InterruptedException {
        client.version().version(com.google.protobuf.Empty.getDefaultInstance());
        IntrospectionGrpc.newBlockingStub(client.channel).plugins(PluginsRequest.getDefaultInstance());
        NamespacesGrpc.newBlockingStub(client.channel).list(ListNamespacesRequest.getDefaultInstance());
        importImage(client);
        ImagesGrpc.ImagesBlockingStub images = ImagesGrpc.newBlockingStub(client.channel)
                .withInterceptors(client.namespace);
        images.list(ListImagesRequest.getDefaultInstance());

        SnapshotsGrpc.SnapshotsBlockingStub snapshots = SnapshotsGrpc.newBlockingStub(client.channel)
                .withInterceptors(client.namespace);
        String chain = snapshots.list(dev.berth.api.services.snapshots.v1.ListSnapshotsRequest.newBuilder()
                .setSnapshotter("overlayfs").build()).next().getInfo(0).getName();
        snapshots.prepare(PrepareSnapshotRequest.newBuilder().setSnapshotter("overlayfs").setKey("training")
                .setParent(chain).build());
        snapshots.mounts(MountsRequest.newBuilder().setSnapshotter("overlayfs").setKey("training").build());

        ContainersGrpc.ContainersBlockingStub containers = ContainersGrpc.newBlockingStub(client.channel)
                .withInterceptors(client.namespace);
        containers.create(CreateContainerRequest.newBuilder().setContainer(Container.newBuilder()
                .setId("training").setImage(IMAGE).setSnapshotter("overlayfs").setSnapshotKey("training")
                .setRuntime(Container.Runtime.newBuilder().setName(BerthdConfig.DEFAULT_RUNTIME))
                .setSpec(Any.newBuilder().setTypeUrl("types.containerd.io/opencontainers/runtime-spec/1/Spec")
                        .setValue(ByteString.copyFromUtf8("{\"ociVersion\":\"1.0.2\"}"))))
                .build());
        containers.list(ListContainersRequest.getDefaultInstance());
        client.tasks().list(ListTasksRequest.getDefaultInstance());
        ContentGrpc.newBlockingStub(client.channel).withInterceptors(client.namespace)
                .list(ListContentRequest.getDefaultInstance()).forEachRemaining(r -> { });
        LeasesGrpc.newBlockingStub(client.channel).withInterceptors(client.namespace)
                .list(ListRequest.getDefaultInstance());
        snapshots.remove(RemoveSnapshotRequest.newBuilder().setSnapshotter("overlayfs").setKey("training").build());
        containers.delete(DeleteContainerRequest.newBuilder().setId("training").build());
        images.delete(DeleteImageRequest.newBuilder().setName(IMAGE).setSync(true).build());
    }

    /**
     * What a docker client asks first after a restart (its ping, version, info, the container and image lists),
     * over the Docker API's socket: without them its HTTP server's request path was loaded from the jars at the
     * first request (about 100 classes).
     */
    private static void dockerRequests(Path socket) throws IOException {
        for (String path : List.of("/_ping", "/v1.41/version", "/v1.41/info", "/v1.41/containers/json?all=1",
                "/v1.41/images/json")) {
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(socket));
                ch.write(ByteBuffer.wrap(("GET " + path + " HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII)));
                ByteArrayOutputStream answer = new ByteArrayOutputStream();
                ByteBuffer buf = ByteBuffer.allocate(8192);
                while (ch.read(buf) >= 0) {
                    answer.write(buf.array(), 0, buf.position());
                    buf.clear();
                }
                String text = answer.toString(StandardCharsets.UTF_8);
                if (!text.startsWith("HTTP/1.1 200")) {
                    throw new IOException("aot training: docker api GET " + path + ": "
                            + text.lines().findFirst().orElse("no answer"));
                }
            }
        }
    }

    /** Streams an OCI archive of a one-layer image to Transfer.Import and waits for its end. */
    private static void importImage(Client client) throws IOException, InterruptedException {
        CompletableFuture<Void> done = new CompletableFuture<>();
        StreamObserver<ImportRequest> requests = TransferGrpc.newStub(client.channel)
                .withInterceptors(client.namespace).import_(new StreamObserver<>() {
                    @Override
                    public void onNext(Progress value) {
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        done.complete(null);
                    }
                });
        requests.onNext(ImportRequest.newBuilder().setOptions(ImportOptions.getDefaultInstance()).build());
        requests.onNext(ImportRequest.newBuilder().setData(ByteString.copyFrom(archive())).build());
        requests.onCompleted();
        try {
            done.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("aot training: import: " + e.getMessage(), e);
        }
    }

    /** An OCI image layout archive of one image with one gzip layer, named {@link #IMAGE}. */
    private static byte[] archive() throws IOException {
        Instant t = Instant.ofEpochSecond(1_704_067_200L);
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        TarWriter layerTar = new TarWriter(plain);
        layerTar.write(TarEntry.directory("etc/", 0755, t), new ByteArrayInputStream(new byte[0]));
        byte[] hostname = "aot-training\n".getBytes(StandardCharsets.UTF_8);
        layerTar.write(TarEntry.file("etc/hostname", 0644, hostname.length, t), new ByteArrayInputStream(hostname));
        layerTar.finish();
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (OutputStream z = new GZIPOutputStream(gz)) {
            z.write(plain.toByteArray());
        }
        byte[] layer = gz.toByteArray();

        ObjectNode config = JSON.createObjectNode().put("architecture", "amd64").put("os", "linux");
        config.putObject("rootfs").put("type", "layers").putArray("diff_ids").add(digest(plain.toByteArray()));
        byte[] configBytes = JSON.writeValueAsBytes(config);
        ObjectNode manifest = JSON.createObjectNode().put("schemaVersion", 2)
                .put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        manifest.set("config", descriptor("application/vnd.oci.image.config.v1+json", configBytes));
        manifest.putArray("layers").add(descriptor("application/vnd.oci.image.layer.v1.tar+gzip", layer));
        byte[] manifestBytes = JSON.writeValueAsBytes(manifest);
        ObjectNode index = JSON.createObjectNode().put("schemaVersion", 2);
        ObjectNode entry = descriptor("application/vnd.oci.image.manifest.v1+json", manifestBytes);
        entry.putObject("annotations").put("io.containerd.image.name", IMAGE)
                .put("org.opencontainers.image.ref.name", "latest");
        index.putArray("manifests").add(entry);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TarWriter tar = new TarWriter(out);
        add(tar, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8), t);
        add(tar, "index.json", JSON.writeValueAsBytes(index), t);
        for (byte[] blob : List.of(layer, configBytes, manifestBytes)) {
            add(tar, "blobs/sha256/" + digest(blob).substring("sha256:".length()), blob, t);
        }
        tar.finish();
        return out.toByteArray();
    }

    private static void add(TarWriter tar, String name, byte[] body, Instant t) throws IOException {
        tar.write(TarEntry.file(name, 0644, body.length, t), new ByteArrayInputStream(body));
    }

    private static ObjectNode descriptor(String mediaType, byte[] body) {
        return JSON.createObjectNode().put("mediaType", mediaType).put("digest", digest(body))
                .put("size", body.length);
    }

    private static String digest(byte[] body) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A gRPC channel to berthd's socket, as ctr opens one, and the namespace header its calls carry. */
    private static final class Client implements AutoCloseable {
        private final EventLoopGroup group;
        private final ManagedChannel channel;
        private final io.grpc.ClientInterceptor namespace;

        private Client(EventLoopGroup group, ManagedChannel channel) {
            this.group = group;
            this.channel = channel;
            Metadata headers = new Metadata();
            headers.put(Metadata.Key.of("containerd-namespace", Metadata.ASCII_STRING_MARSHALLER), NAMESPACE);
            this.namespace = MetadataUtils.newAttachHeadersInterceptor(headers);
        }

        static Client connect(Path socket) {
            EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
            return new Client(group, NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                    .channelType(EpollDomainSocketChannel.class).eventLoopGroup(group).usePlaintext().build());
        }

        VersionGrpc.VersionBlockingStub version() {
            return VersionGrpc.newBlockingStub(channel);
        }

        TasksGrpc.TasksBlockingStub tasks() {
            return TasksGrpc.newBlockingStub(channel).withInterceptors(namespace);
        }

        @Override
        public void close() throws InterruptedIOException {
            channel.shutdownNow();
            try {
                channel.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("aot training: close channel");
            } finally {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            }
        }
    }
}
