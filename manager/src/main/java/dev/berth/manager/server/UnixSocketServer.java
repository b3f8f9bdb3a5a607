package dev.berth.manager.server;

import dev.berth.manager.fs.Permissions;
import io.grpc.HandlerRegistry;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Serves gRPC services on a unix socket through Netty's epoll transport, mode 0660 as containerd's socket. Calls
 * run on virtual threads, so a blocking domain call (a pull, a shim start) holds no event-loop thread.
 */
final class UnixSocketServer implements AutoCloseable {

    private final Path socket;
    private final EventLoopGroup group;
    private final Server server;

    private UnixSocketServer(Path socket, EventLoopGroup group, Server server) {
        this.socket = socket;
        this.group = group;
        this.server = server;
    }

    /**
     * Binds {@code socket} and starts serving the methods {@code services} finds: a stale socket file is replaced, a
     * socket a running daemon answers on is refused ({@link SocketClaim}).
     */
    static UnixSocketServer start(Path socket, HandlerRegistry services) throws IOException {
        Permissions.createDirectories(socket.toAbsolutePath().getParent(), Permissions.TRAVERSABLE_DIRECTORY);
        SocketClaim.claim(socket);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, EpollIoHandler.newFactory());
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .channelType(EpollServerDomainSocketChannel.class)
                .bossEventLoopGroup(group)
                .workerEventLoopGroup(group)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                // containerd's limit: ctr sends and receives up to 16 MiB messages
                .maxInboundMessageSize(16 << 20)
                .fallbackHandlerRegistry(services);
        Server server;
        try {
            server = builder.build().start();
        } catch (IOException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IOException("serve " + socket + ": " + e.getMessage(), e);
        }
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw----"));
        return new UnixSocketServer(socket, group, server);
    }

    Path socket() {
        return socket;
    }

    void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    @Override
    public void close() throws IOException {
        server.shutdown();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        Files.deleteIfExists(socket);
    }
}
