package dev.berth.manager.dockerapi.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.http.HttpServerCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * HTTP/1.1 on a unix socket (mode 0660): Netty's codec over the epoll domain-socket transport, one event-loop
 * thread (the handlers block on virtual threads, not there), request bodies read whole up to a bound, except the
 * ones the handler {@linkplain Handler#streamsBody streams}.
 */
public final class HttpServer implements AutoCloseable {

    private final Path socket;
    private final EventLoopGroup group;
    private final Channel server;
    private final ExecutorService handlers;

    private HttpServer(Path socket, EventLoopGroup group, Channel server, ExecutorService handlers) {
        this.socket = socket;
        this.group = group;
        this.server = server;
        this.handlers = handlers;
    }

    /**
     * Binds {@code socket} (which must not exist) and serves {@code handler}; {@code headers} go on every response;
     * a request body longer than {@code maxBody} bytes is answered 413 (a streamed body has no bound).
     */
    public static HttpServer start(Path socket, Handler handler, Map<String, String> headers, int maxBody)
            throws IOException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
        Map<String, String> defaults = Map.copyOf(headers);
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(EpollServerDomainSocketChannel.class)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        HttpChannelHandler connection = new HttpChannelHandler(handler, handlers, defaults);
                        ch.pipeline()
                                .addLast(HttpChannelHandler.CODEC, new HttpServerCodec())
                                .addLast(HttpChannelHandler.AGGREGATOR,
                                        new HttpChannelHandler.BodyAggregator(maxBody, connection))
                                .addLast(HttpChannelHandler.HANDLER, connection);
                    }
                });
        Channel server;
        try {
            server = b.bind(new DomainSocketAddress(socket.toString())).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            handlers.shutdownNow();
            throw new IOException("serve " + socket + ": interrupted", e);
        } catch (RuntimeException e) { // Netty's bind failure (a native errno exception)
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            handlers.shutdownNow();
            throw new IOException("serve " + socket + ": " + e.getMessage(), e);
        }
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw----"));
        return new HttpServer(socket, group, server, handlers);
    }

    public Path socket() {
        return socket;
    }

    /** Stops listening and closes every connection; requests still running see their connection close. */
    @Override
    public void close() throws IOException {
        server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        handlers.shutdownNow();
        Files.deleteIfExists(socket);
    }
}
