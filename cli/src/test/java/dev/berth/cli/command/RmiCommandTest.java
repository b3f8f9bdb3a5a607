package dev.berth.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Empty;
import dev.berth.api.services.containers.v1.Container;
import dev.berth.api.services.containers.v1.ContainersGrpc;
import dev.berth.api.services.containers.v1.ListContainersRequest;
import dev.berth.api.services.containers.v1.ListContainersResponse;
import dev.berth.api.services.images.v1.DeleteImageRequest;
import dev.berth.api.services.images.v1.GetImageRequest;
import dev.berth.api.services.images.v1.GetImageResponse;
import dev.berth.api.services.images.v1.Image;
import dev.berth.api.services.images.v1.ImagesGrpc;
import dev.berth.api.types.Descriptor;
import dev.berth.client.Berth;
import dev.berth.cli.client.CliException;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code berth rmi} keeps an image a container was created from unless forced, as docker does (409). */
class RmiCommandTest {

    private static final String NAME = "docker.io/library/busybox:latest";
    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    @TempDir
    Path dir;
    private final Map<String, Image> images = new ConcurrentHashMap<>();
    private final List<Container> containers = new CopyOnWriteArrayList<>();
    private EventLoopGroup group;
    private Server server;
    private Berth berth;

    @BeforeEach
    void serve() throws Exception {
        images.put(NAME, Image.newBuilder().setName(NAME)
                .setTarget(Descriptor.newBuilder().setDigest(DIGEST).setSize(1)).build());
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        Path socket = dir.resolve("b.sock");
        server = NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .channelType(EpollServerDomainSocketChannel.class).bossEventLoopGroup(group)
                .workerEventLoopGroup(group).addService(new FakeImages()).addService(new FakeContainers())
                .build().start();
        berth = Berth.connect(socket, "default");
    }

    @AfterEach
    void stop() throws Exception {
        berth.close();
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    private RmiCommand rmi(boolean force, String... refs) {
        RmiCommand c = new RmiCommand();
        c.force = force;
        c.images = List.of(refs);
        return c;
    }

    @Test
    void rmi_imageAContainerUses_isRefusedWithoutForce() {
        containers.add(Container.newBuilder().setId("web").setImage(NAME).build());

        CliException e = assertThrows(CliException.class, () -> rmi(false, "busybox").run(berth));

        assertEquals(1, e.exitCode());
        assertEquals("Error response from daemon: conflict: unable to remove repository reference \"busybox\" "
                + "(must force) - container web is using its referenced image " + "ab".repeat(6), e.getMessage());
        assertTrue(images.containsKey(NAME), "the image stays");
    }

    @Test
    void rmi_force_removesAnImageAContainerUses() throws Exception {
        containers.add(Container.newBuilder().setId("web").setImage(NAME).build());
        assertEquals(0, rmi(true, "busybox").run(berth));
        assertTrue(images.isEmpty());
    }

    @Test
    void rmi_imageNoContainerUses_isRemoved() throws Exception {
        containers.add(Container.newBuilder().setId("other").setImage("docker.io/library/alpine:latest").build());
        assertEquals(0, rmi(false, "busybox").run(berth));
        assertTrue(images.isEmpty());
    }

    private final class FakeImages extends ImagesGrpc.ImagesImplBase {
        @Override
        public void get(GetImageRequest req, StreamObserver<GetImageResponse> response) {
            Image image = images.get(req.getName());
            if (image == null) {
                response.onError(Status.NOT_FOUND.withDescription("image " + req.getName() + ": not found")
                        .asRuntimeException());
                return;
            }
            response.onNext(GetImageResponse.newBuilder().setImage(image).build());
            response.onCompleted();
        }

        @Override
        public void delete(DeleteImageRequest req, StreamObserver<Empty> response) {
            images.remove(req.getName());
            response.onNext(Empty.getDefaultInstance());
            response.onCompleted();
        }
    }

    private final class FakeContainers extends ContainersGrpc.ContainersImplBase {
        @Override
        public void list(ListContainersRequest req, StreamObserver<ListContainersResponse> response) {
            response.onNext(ListContainersResponse.newBuilder().addAllContainers(containers).build());
            response.onCompleted();
        }
    }
}
