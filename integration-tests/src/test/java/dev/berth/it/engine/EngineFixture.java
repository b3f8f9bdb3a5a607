package dev.berth.it.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.berth.api.services.engine.v1.ContainerRef;
import dev.berth.api.services.engine.v1.ContainersGrpc;
import dev.berth.api.services.engine.v1.CreateContainerRequest;
import dev.berth.api.services.engine.v1.ListContainersRequest;
import dev.berth.api.services.engine.v1.NetworksGrpc;
import dev.berth.api.services.engine.v1.RemoveContainerRequest;
import dev.berth.api.services.engine.v1.SystemGrpc;
import dev.berth.api.services.transfer.v1.ImportOptions;
import dev.berth.api.services.transfer.v1.ImportRequest;
import dev.berth.api.services.transfer.v1.Progress;
import dev.berth.api.services.transfer.v1.TransferGrpc;
import dev.berth.it.manager.support.BerthdProcess;
import dev.berth.it.support.CommandLine;
import dev.berth.manager.server.Berthd;
import dev.berth.manager.server.BerthdConfig;
import dev.berth.manager.server.Launch;
import dev.berth.model.ContainerConfig;
import dev.berth.model.DockerJson;
import dev.berth.model.HostConfig;
import dev.berth.sys.LinuxSyscalls;
import dev.berth.testsupport.BusyboxImage;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An embedded berthd for the engine's tests: its own root, state and sockets under a short temp dir, the shim from
 * the built {@code bin/berth-shim}, and the busybox image imported into namespace {@value #NAMESPACE}. {@link
 * #reopen} closes berthd (its containers live on, as with a restart of the daemon) and opens it again.
 */
final class EngineFixture implements AutoCloseable {
    static final String NAMESPACE = "engine-it";
    static final String IMAGE = "busybox";
    static final Path REPO = Path.of(System.getProperty("berth.it.repo", "..")).toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final String netns;
    private final String config;
    private Berthd berthd;
    private BerthdProcess process;
    private EventLoopGroup group;
    private ManagedChannel channel;

    private EngineFixture(Path dir, String netns, String config) {
        this.dir = dir;
        this.netns = netns;
        this.config = config;
    }

    static EngineFixture start() throws IOException, InterruptedException {
        return start(null);
    }

    /**
     * With {@code netns} not null, berthd runs as a child process in the network namespace {@code
     * /run/netns/<netns>} (with its default bridge; masquerade and upstream DNS off) and is reached over its socket;
     * otherwise it is embedded, without a default bridge.
     */
    static EngineFixture start(String netns) throws IOException, InterruptedException {
        return start(netns, null);
    }

    /**
     * {@link #start(String)} with berthd's TOML {@code config}; a {@code [berth.network]} section in it replaces the
     * tests' (which must then keep masquerade and upstream DNS off).
     */
    static EngineFixture start(String netns, String config) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "bce-");
        EngineFixture f = new EngineFixture(dir, netns, config);
        try {
            f.open();
            f.importBusybox();
        } catch (IOException | RuntimeException | InterruptedException e) {
            f.close();
            throw e;
        }
        return f;
    }

    private void open() throws IOException {
        if (netns != null) {
            if (group == null) {
                group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
            }
            process = BerthdProcess.start(REPO, dir, new CommandLine(Files.createDirectories(dir.resolve("daemon"))),
                    new BerthdProcess.Options(config, false, netns));
            channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(process.socket().toString()))
                    .channelType(EpollDomainSocketChannel.class)
                    .eventLoopGroup(group)
                    .usePlaintext().build();
            return;
        }
        BerthdConfig config = BerthdConfig.defaults(REPO.resolve("bin/berth-shim")).withRoot(dir.resolve("root"))
                .withState(dir.resolve("state")).withAddress(dir.resolve("b.sock"))
                .withNetwork(BerthdConfig.NetworkSwitches.CONTAINED); // in the test JVM's netns: no bridge
        Path init = REPO.resolve("lowlevel-runtime/target/berth-docker-init");
        berthd = Berthd.open(config, LinuxSyscalls.loadBuilt(), new Launch(REPO.resolve("bin/berthd"),
                "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                Files.isExecutable(init) ? java.util.Optional.of(init) : java.util.Optional.empty()));
        channel = berthd.channel();
    }

    /** berthd closes and opens again on the same root and state, as after a restart of the daemon. */
    void reopen() throws IOException, InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        closeBerthd();
        open();
    }

    /** The child berthd is killed with SIGKILL, as a crash would, and started again on the same root and state. */
    void crashAndReopen() throws IOException, InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        process.crash();
        process = null;
        open();
    }

    private void importBusybox() throws IOException, InterruptedException {
        Path archive = dir.resolve("busybox.tar");
        BusyboxImage.writeArchive(BusyboxImage.DEFAULT_NAME, archive);
        CountDownLatch done = new CountDownLatch(1);
        Throwable[] failure = new Throwable[1];
        StreamObserver<ImportRequest> up = ns(TransferGrpc.newStub(channel)).import_(
                new StreamObserver<Progress>() {
                    @Override
                    public void onNext(Progress value) {
                    }

                    @Override
                    public void onError(Throwable t) {
                        failure[0] = t;
                        done.countDown();
                    }

                    @Override
                    public void onCompleted() {
                        done.countDown();
                    }
                });
        up.onNext(ImportRequest.newBuilder().setOptions(ImportOptions.getDefaultInstance()).build());
        byte[] bytes = Files.readAllBytes(archive);
        for (int off = 0; off < bytes.length; off += 1 << 20) {
            up.onNext(ImportRequest.newBuilder().setData(ByteString.copyFrom(bytes, off,
                    Math.min(1 << 20, bytes.length - off))).build());
        }
        up.onCompleted();
        if (!done.await(60, TimeUnit.SECONDS) || failure[0] != null) {
            throw new AssertionError("import busybox", failure[0]);
        }
    }

    static <S extends AbstractStub<S>> S ns(S stub) {
        Metadata h = new Metadata();
        h.put(Metadata.Key.of("containerd-namespace", Metadata.ASCII_STRING_MARSHALLER), NAMESPACE);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(h));
    }

    ManagedChannel channel() {
        return channel;
    }

    ContainersGrpc.ContainersBlockingStub containers() {
        return ns(ContainersGrpc.newBlockingStub(channel));
    }

    ContainersGrpc.ContainersStub containersAsync() {
        return ns(ContainersGrpc.newStub(channel));
    }

    NetworksGrpc.NetworksBlockingStub networks() {
        return ns(NetworksGrpc.newBlockingStub(channel));
    }

    SystemGrpc.SystemBlockingStub system() {
        return ns(SystemGrpc.newBlockingStub(channel));
    }

    /** The child berthd's log (empty for an embedded one), for the failure messages. */
    String daemonLog() {
        return process == null ? "" : process.log();
    }

    Path dir() {
        return dir;
    }

    /** Creates a container of busybox running {@code cmd}; its id. */
    String create(String name, ContainerConfig.Builder config, HostConfig host) {
        return containers().create(request(name, config, host)).getId();
    }

    static CreateContainerRequest request(String name, ContainerConfig.Builder config, HostConfig host) {
        return CreateContainerRequest.newBuilder().setName(name == null ? "" : name)
                .setConfig(ByteString.copyFrom(DockerJson.write(config.image(IMAGE).build())))
                .setHostConfig(ByteString.copyFrom(DockerJson.write(host == null ? HostConfig.EMPTY : host)))
                .build();
    }

    static ContainerConfig.Builder cmd(String... argv) {
        return new ContainerConfig.Builder().cmd(List.of(argv));
    }

    JsonNode inspect(String id) throws IOException {
        return JSON.readTree(containers().inspect(ContainerRef.newBuilder().setId(id).build()).getJson()
                .toByteArray());
    }

    JsonNode list(ListContainersRequest req) throws IOException {
        return JSON.readTree(containers().list(req).getJson().toByteArray());
    }

    static JsonNode json(ByteString bytes) throws IOException {
        return JSON.readTree(bytes.toByteArray());
    }

    private void closeBerthd() {
        if (berthd != null) {
            berthd.close();
            berthd = null;
        }
        if (process != null) {
            process.close();
            process = null;
        }
    }

    /** Removes every container (force), closes berthd, kills what it left by pid, unmounts and deletes the dir. */
    @Override
    public void close() throws IOException {
        try {
            if (channel != null) {
                for (JsonNode c : list(ListContainersRequest.newBuilder().setAll(true).build())) {
                    try {
                        containers().remove(RemoveContainerRequest.newBuilder().setId(c.path("Id").asText())
                                .setForce(true).setVolumes(true).build());
                    } catch (io.grpc.StatusRuntimeException e) {
                        System.err.println("cleanup: remove " + c.path("Id").asText() + ": " + e.getMessage());
                    }
                }
                channel.shutdownNow();
            }
        } finally {
            closeBerthd();
            if (group != null) {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            }
            BerthdProcess.reapLeftovers(dir);
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
