package dev.berth.client;

import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.nio.file.Path;

/** grpc-java's own server (Netty, epoll) on a unix socket, as berthd serves: the peer the transport tests use. */
public final class UnixSocketServers {
    private UnixSocketServers() {
    }

    /** A server builder bound to {@code socket} on {@code group}'s threads, with berthd's message limit. */
    public static NettyServerBuilder builder(Path socket, EventLoopGroup group) {
        return NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .channelType(EpollServerDomainSocketChannel.class)
                .bossEventLoopGroup(group)
                .workerEventLoopGroup(group)
                .maxInboundMessageSize(16 << 20);
    }

    public static EventLoopGroup group() {
        return new MultiThreadIoEventLoopGroup(2, EpollIoHandler.newFactory());
    }
}
