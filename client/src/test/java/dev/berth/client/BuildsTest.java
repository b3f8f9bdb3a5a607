package dev.berth.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.errdefs.ErrorKind;
import dev.berth.api.services.build.v1.BuildProgress;
import dev.berth.api.services.build.v1.BuildRequest;
import dev.berth.api.services.build.v1.BuildsGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Builds#build}'s upload against a Builds service that takes the context one message at a time (manual flow
 * control, as berthd's BuildService hands it to the builder through a bounded queue), in-process and over a unix
 * socket (Netty's HTTP/2 flow control, as the CLI talks to berthd).
 */
class BuildsTest {
    private static final long MIB = 1 << 20;
    private static final String IMAGE_ID = "sha256:" + "ab".repeat(32);

    enum Transport { IN_PROCESS, UNIX_SOCKET }

    private final PacedBuilds service = new PacedBuilds();
    @TempDir
    Path dir;
    private Server server;
    private ManagedChannel channel;
    private EventLoopGroup group;
    private Berth berth;

    /** Serves {@link #service} over {@code transport} to {@link #berth}; answers a context of {@code size} bytes. */
    private Context serve(Transport transport, long size) throws IOException {
        if (transport == Transport.IN_PROCESS) {
            String name = InProcessServerBuilder.generateName();
            server = InProcessServerBuilder.forName(name).addService(service).build().start();
            channel = InProcessChannelBuilder.forName(name).build();
            berth = Berth.over(channel, "ns1");
        } else {
            Path socket = dir.resolve("berthd.sock");
            group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
            server = NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                    .channelType(EpollServerDomainSocketChannel.class).bossEventLoopGroup(group)
                    .workerEventLoopGroup(group).addService(service).build().start();
            berth = Berth.connect(socket, "ns1");
        }
        service.context = new Context(size);
        return service.context;
    }

    @AfterEach
    void stop() throws InterruptedException {
        service.release.countDown();
        if (berth != null) {
            berth.close();
        }
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (group != null) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void build_largeContext_completesWithBoundedReadAhead(Transport transport) throws IOException {
        Context context = serve(transport, 20 * MIB);
        service.pauseMillis = 2;
        List<String> progress = new CopyOnWriteArrayList<>();

        String id = berth.builds().build(Options.Build.DEFAULT, context, progress::add);

        assertEquals(IMAGE_ID, id);
        assertEquals(20 * MIB, service.received.get());
        assertEquals(List.of("received " + 20 * MIB + " bytes\n"), progress);
        // what the client has read but the service not yet taken: the transport's window (HTTP/2's 1 MiB over the
        // socket), the message being sent and the chunk read ahead; without flow control, most of the 20 MiB
        assertTrue(service.maxAhead.get() <= 5 * MIB, "read ahead of the service: " + service.maxAhead.get());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void build_serviceFailsMidUpload_endsWithItsError(Transport transport) throws IOException {
        Context context = serve(transport, 20 * MIB);
        service.failAt = 5;

        DaemonException e = assertThrows(DaemonException.class,
                () -> berth.builds().build(Options.Build.DEFAULT, context, line -> { }));

        assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
        assertEquals("dockerfile parse error line 1: unknown instruction: FORM", e.getMessage());
        assertTrue(context.read.get() <= 8 * MIB, "the upload went on after the error: " + context.read.get());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void build_serviceHoldsBack_senderWaitsWithoutPolling(Transport transport) throws Exception {
        Context context = serve(transport, 8 * MIB);
        service.holdAt = 3;
        CompletableFuture<Thread> sender = new CompletableFuture<>();
        CompletableFuture<String> id = CompletableFuture.supplyAsync(() -> {
            sender.complete(Thread.currentThread());
            return berth.builds().build(Options.Build.DEFAULT, context, line -> { });
        });
        assertTrue(service.held.await(10, TimeUnit.SECONDS), "the service never got its third message");
        Thread thread = sender.get(10, TimeUnit.SECONDS);

        // once the transport is full (over the socket: HTTP/2's window), the sender parks until the call's onReady
        // handler wakes it: never RUNNABLE or sleeping in a poll
        awaitStalled(thread, context);
        for (int i = 0; i < 50; i++) {
            assertEquals(Thread.State.WAITING, thread.getState(), "sample " + i);
            Thread.sleep(2);
        }
        service.release.countDown();

        assertEquals(IMAGE_ID, id.get(10, TimeUnit.SECONDS));
        assertEquals(8 * MIB, service.received.get());
    }

    /** Waits until the sender has read nothing more for 200 ms and is parked. */
    private static void awaitStalled(Thread thread, Context context) throws InterruptedException {
        long read = -1;
        for (int i = 0; i < 50 && (context.read.get() != read || thread.getState() != Thread.State.WAITING); i++) {
            read = context.read.get();
            Thread.sleep(200);
        }
        assertEquals(Thread.State.WAITING, thread.getState());
    }

    /** A context of {@code size} bytes made as it is read, counting what was read. */
    private static final class Context extends InputStream {
        final AtomicLong read = new AtomicLong();
        private final long size;

        Context(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0];
        }

        @Override
        public int read(byte[] b, int off, int len) {
            long left = size - read.get();
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            Arrays.fill(b, off, off + n, (byte) 'x');
            read.addAndGet(n);
            return n;
        }
    }

    /**
     * Takes one message at a time, {@code pauseMillis} each, and records how far the client's reading ran ahead of
     * it; fails the call at message {@code failAt}, or holds back its next request at message {@code holdAt} until
     * {@code release}.
     */
    private static final class PacedBuilds extends BuildsGrpc.BuildsImplBase {
        final AtomicLong received = new AtomicLong();
        final AtomicLong maxAhead = new AtomicLong();
        final AtomicInteger messages = new AtomicInteger();
        final CountDownLatch held = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile Context context;
        volatile int failAt = -1;
        volatile int holdAt = -1;
        volatile long pauseMillis;

        @Override
        public StreamObserver<BuildRequest> build(StreamObserver<BuildProgress> responses) {
            ServerCallStreamObserver<BuildProgress> call = (ServerCallStreamObserver<BuildProgress>) responses;
            call.disableAutoRequest();
            call.request(1);
            return new StreamObserver<>() {
                @Override
                public void onNext(BuildRequest request) {
                    int m = messages.incrementAndGet();
                    long got = received.addAndGet(request.getContext().size());
                    maxAhead.accumulateAndGet(context.read.get() - got, Math::max);
                    if (m == failAt) {
                        responses.onError(Status.INVALID_ARGUMENT
                                .withDescription("dockerfile parse error line 1: unknown instruction: FORM")
                                .asRuntimeException());
                        return;
                    }
                    try {
                        if (m == holdAt) {
                            held.countDown();
                            release.await();
                        }
                        Thread.sleep(pauseMillis); // a builder slower than the client
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    call.request(1);
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                    responses.onNext(BuildProgress.newBuilder().setStream("received " + received + " bytes\n")
                            .build());
                    responses.onNext(BuildProgress.newBuilder().setImageId(IMAGE_ID).build());
                    responses.onCompleted();
                }
            };
        }
    }
}
