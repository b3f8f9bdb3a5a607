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
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Builds#build}'s upload against an in-process Builds service that takes the context one message at a time
 * (manual flow control, as berthd's BuildService hands it to the builder through a bounded queue).
 */
class BuildsTest {
    private static final long MIB = 1 << 20;
    private static final String IMAGE_ID = "sha256:" + "ab".repeat(32);

    private final PacedBuilds service = new PacedBuilds();
    private Server server;
    private ManagedChannel channel;
    private Berth berth;

    @BeforeEach
    void serve() throws IOException {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).addService(service).build().start();
        channel = InProcessChannelBuilder.forName(name).build();
        berth = Berth.over(channel, "ns1");
    }

    @AfterEach
    void stop() throws InterruptedException {
        service.release.countDown();
        berth.close();
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void build_largeContext_completesWithBoundedReadAhead() {
        Context context = new Context(20 * MIB);
        service.context = context;
        List<String> progress = new CopyOnWriteArrayList<>();

        String id = berth.builds().build(Options.Build.DEFAULT, context, progress::add);

        assertEquals(IMAGE_ID, id);
        assertEquals(20 * MIB, service.received.get());
        assertEquals(List.of("received " + 20 * MIB + " bytes\n"), progress);
        // what the client has read but the service not yet taken: the chunk being sent and the one read ahead
        assertTrue(service.maxAhead.get() <= 3 * MIB, "read ahead of the service: " + service.maxAhead.get());
    }

    @Test
    void build_serviceFailsMidUpload_endsWithItsError() {
        Context context = new Context(20 * MIB);
        service.context = context;
        service.failAt = 5;

        DaemonException e = assertThrows(DaemonException.class,
                () -> berth.builds().build(Options.Build.DEFAULT, context, line -> { }));

        assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
        assertEquals("dockerfile parse error line 1: unknown instruction: FORM", e.getMessage());
        assertTrue(context.read.get() <= 8 * MIB, "the upload went on after the error: " + context.read.get());
    }

    @Test
    void build_serviceHoldsBack_senderWaitsWithoutPolling() throws Exception {
        Context context = new Context(8 * MIB);
        service.context = context;
        service.holdAt = 3;
        CompletableFuture<Thread> sender = new CompletableFuture<>();
        CompletableFuture<String> id = CompletableFuture.supplyAsync(() -> {
            sender.complete(Thread.currentThread());
            return berth.builds().build(Options.Build.DEFAULT, context, line -> { });
        });
        assertTrue(service.held.await(10, TimeUnit.SECONDS), "the service never got its third message");
        Thread thread = sender.get(10, TimeUnit.SECONDS);

        // the sender parks until the call's onReady handler wakes it: never RUNNABLE or sleeping in a poll
        awaitState(thread, Thread.State.WAITING);
        for (int i = 0; i < 50; i++) {
            assertEquals(Thread.State.WAITING, thread.getState(), "sample " + i);
            Thread.sleep(2);
        }
        service.release.countDown();

        assertEquals(IMAGE_ID, id.get(10, TimeUnit.SECONDS));
        assertEquals(8 * MIB, service.received.get());
    }

    private static void awaitState(Thread thread, Thread.State state) throws InterruptedException {
        for (int i = 0; i < 500 && thread.getState() != state; i++) {
            Thread.sleep(10);
        }
        assertEquals(state, thread.getState());
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
     * Takes one message at a time and records how far the client's reading ran ahead of it; fails the call at
     * message {@code failAt}, or holds back its next request at message {@code holdAt} until {@code release}.
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
                    if (m == holdAt) {
                        held.countDown();
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
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
