package dev.berth.manager.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Empty;
import dev.berth.api.services.version.v1.VersionGrpc;
import dev.berth.api.services.version.v1.VersionResponse;
import dev.berth.sys.LinuxSyscalls;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * berthd's main start ({@link Berthd#start}): the sockets are bound while the stores open; a call that comes before
 * the services are built waits for them, the Docker API's ping and version answer at once; a failed start leaves no
 * socket and no lock.
 */
class BerthdStartTest {

    @TempDir
    Path dir;

    private BerthdConfig config() {
        return TestConfig.in(dir); // docker.sock beside b.sock
    }

    @Test
    void start_whileTheStoresOpen_callsWaitForTheServicesAndDockerPingAndVersionAnswer() throws Exception {
        Path db = dir.resolve("root/metadata.db");
        Files.createDirectories(db.getParent());
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        CompletableFuture<Berthd> started = new CompletableFuture<>();
        ManagedChannel channel = null;
        // another writer holds the database's write lock: the stores' opening (its migrations) waits for it
        try (Connection holder = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement st = holder.createStatement()) {
            st.execute("PRAGMA journal_mode=WAL");
            st.execute("BEGIN IMMEDIATE");
            Thread.ofVirtual().start(() -> {
                try {
                    started.complete(Berthd.start(config(), LinuxSyscalls.loadBuilt(), Launch.EMBEDDED));
                } catch (IOException | RuntimeException e) {
                    started.completeExceptionally(e);
                }
            });
            String ping = awaitHttp(dir.resolve("docker.sock"), "/_ping");
            assertTrue(ping.startsWith("HTTP/1.1 200"), ping);
            assertTrue(ping.endsWith("OK"), ping);
            String version = awaitHttp(dir.resolve("docker.sock"), "/version");
            assertTrue(version.startsWith("HTTP/1.1 200") && version.contains("\"ApiVersion\":\"1.41\""), version);

            channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(dir.resolve("b.sock").toString()))
                    .channelType(EpollDomainSocketChannel.class).eventLoopGroup(group).usePlaintext().build();
            VersionGrpc.VersionFutureStub stub = VersionGrpc.newFutureStub(channel);
            var waiting = stub.version(Empty.getDefaultInstance());
            Thread.sleep(300);
            assertFalse(waiting.isDone(), "a call before the services are built waits for them");
            assertFalse(started.isDone(), "the start waits for the stores");

            st.execute("ROLLBACK");
            VersionResponse answered = waiting.get(10, TimeUnit.SECONDS);
            assertEquals(Berthd.VERSION, answered.getVersion());
        } finally {
            if (channel != null) {
                channel.shutdownNow();
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            started.thenAccept(Berthd::close).exceptionally(e -> null).get(30, TimeUnit.SECONDS);
        }
        assertFalse(Files.exists(dir.resolve("b.sock")));
        assertFalse(Files.exists(dir.resolve("docker.sock")));
    }

    @Test
    void start_storesThatCannotOpen_failAndLeaveNoSocketNorLock() throws Exception {
        Files.createDirectories(dir.resolve("root/metadata.db")); // a directory where the database file goes

        IOException e = assertThrows(IOException.class,
                () -> Berthd.start(config(), LinuxSyscalls.loadBuilt(), Launch.EMBEDDED));

        assertTrue(e.getMessage().contains("metadata.db"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("b.sock")));
        assertFalse(Files.exists(dir.resolve("b.sock.ttrpc")));
        assertFalse(Files.exists(dir.resolve("docker.sock")));
        Files.delete(dir.resolve("root/metadata.db"));
        try (Berthd again = Berthd.start(config(), LinuxSyscalls.loadBuilt(), Launch.EMBEDDED)) {
            assertTrue(Files.exists(dir.resolve("b.sock")), "the root's lock was let go");
        }
    }

    /** {@code GET path} on the unix socket, once it answers (10 s at most): the status line through the body. */
    private static String awaitHttp(Path socket, String path) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(socket));
                ch.write(ByteBuffer.wrap(("GET " + path + " HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII)));
                ByteBuffer buf = ByteBuffer.allocate(64 << 10);
                while (ch.read(buf) >= 0) {
                    if (!buf.hasRemaining()) {
                        break;
                    }
                }
                buf.flip();
                return StandardCharsets.UTF_8.decode(buf).toString().strip();
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(10);
            }
        }
    }
}
