package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.services.transfer.v1.ImportRequest;
import dev.berth.api.services.transfer.v1.Progress;
import dev.berth.api.services.transfer.v1.TransferGrpc;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code berth load} against a grpc-netty server on a unix socket that takes part of the archive and then goes away
 * (GOAWAY, the connection closed) while the CLI waits for window: the command ends with an error that names the
 * call, instead of hanging or claiming that berthd cannot be reached.
 */
@Timeout(60)
class LoadCommandTest {
    private Path dir;
    private EventLoopGroup group;
    private Server server;
    private final CountDownLatch stalled = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void serve() throws IOException {
        dir = Files.createTempDirectory("berth-cli-load-");
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        server = NettyServerBuilder.forAddress(new DomainSocketAddress(dir.resolve("d.sock").toString()))
                .channelType(EpollServerDomainSocketChannel.class).bossEventLoopGroup(group)
                .workerEventLoopGroup(group).maxInboundMessageSize(16 << 20)
                .addService(new TransferGrpc.TransferImplBase() {
                    @Override
                    public StreamObserver<ImportRequest> import_(StreamObserver<Progress> response) {
                        return new StreamObserver<>() {
                            @Override
                            public void onNext(ImportRequest request) {
                                if (request.hasData()) {
                                    stalled.countDown();
                                    awaitRelease(); // takes no more: the client's windows run out
                                }
                            }

                            @Override
                            public void onError(Throwable t) {
                            }

                            @Override
                            public void onCompleted() {
                            }
                        };
                    }
                })
                .build().start();
    }

    @AfterEach
    void stop() throws InterruptedException, IOException {
        release.countDown();
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(dir);
    }

    @Test
    void load_berthdGoesAwayMidUpload_failsNamingTheCall() throws Exception {
        Path archive = dir.resolve("big.tar");
        Files.write(archive, new byte[6 << 20]);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CompletableFuture<Integer> load = CompletableFuture.supplyAsync(() -> run(out, err,
                "--address", dir.resolve("d.sock").toString(), "load", "-i", archive.toString()));
        assertTrue(stalled.await(20, TimeUnit.SECONDS), "the upload reached the server");

        server.shutdownNow();
        int status = load.get(20, TimeUnit.SECONDS);

        String message = err.toString(StandardCharsets.UTF_8);
        assertEquals(125, status, message);
        assertTrue(message.contains("berth.services.transfer.v1.Transfer/Import"), message);
        assertFalse(message.contains("Cannot connect"), message);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    private static int run(ByteArrayOutputStream out, ByteArrayOutputStream err, String... args) {
        return Main.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private void awaitRelease() {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
