package dev.berth.client;

import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;

/**
 * Every call of {@link BerthClientTest} again, over a unix socket: the client's own HTTP/2 transport
 * ({@code Berth.connect}) against grpc-java's Netty server, as the CLI talks to berthd.
 */
class BerthClientOverUnixSocketTest extends BerthClientTest {
    private Path dir;
    private EventLoopGroup group;

    @Override
    io.grpc.ServerBuilder<?> serverBuilder() throws IOException {
        dir = Files.createTempDirectory("berth-client-uds-");
        group = UnixSocketServers.group();
        return UnixSocketServers.builder(dir.resolve("berthd.sock"), group);
    }

    @Override
    Berth client() {
        return Berth.connect(dir.resolve("berthd.sock"), "ns1");
    }

    @AfterEach
    @Override
    void stop() throws InterruptedException, IOException {
        super.stop();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        Files.deleteIfExists(dir.resolve("berthd.sock"));
        Files.deleteIfExists(dir);
    }
}
