package dev.berth.manager.service.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.berth.api.services.content.v1.ContentGrpc;
import dev.berth.api.services.content.v1.InfoRequest;
import dev.berth.api.services.content.v1.WriteAction;
import dev.berth.api.services.content.v1.WriteContentRequest;
import dev.berth.api.services.content.v1.WriteContentResponse;
import dev.berth.manager.content.LocalContentStore;
import dev.berth.manager.event.Exchange;
import dev.berth.manager.metadata.MetadataDb;
import dev.berth.manager.service.InProcessGrpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Concurrent pulls of one layer that another namespace already holds (issue 10, defect 3): every writer of the
 * layer's ref, in every namespace, ends with the blob committed or ALREADY_EXISTS, never "ingest …: not found".
 * The clients behave as containerd's {@code content.OpenWriter} and {@code remotes.fetch}: UNAVAILABLE ("ref
 * locked") is retried after a pause, ALREADY_EXISTS is success, an ingest already complete is committed at once.
 */
class ConcurrentSharedIngestTest {

    @TempDir
    Path dir;
    private MetadataDb db;
    private InProcessGrpc grpc;

    @BeforeEach
    void serve() throws Exception {
        db = MetadataDb.open(dir.resolve("metadata.db"), LocalContentStore.open(dir.resolve("content")), Map.of());
        grpc = new InProcessGrpc(new ContentService(db::contentStore, new Exchange()));
    }

    @AfterEach
    void stop() throws Exception {
        grpc.close();
        db.close();
    }

    @Test
    void write_sameLayerInSeveralNamespacesAtOnce_alreadyStoredElsewhere_everyPullSucceeds() throws Exception {
        byte[] layer = new byte[64 * 1024];
        ThreadLocalRandom.current().nextBytes(layer);
        String digest = sha256(layer);
        String ref = "layer-" + digest;
        assertEquals(Outcome.COMMITTED, fetch("a", ref, layer, digest, new CountDownLatch(0)));

        int rounds = 8;
        int namespaces = 5;
        int writersPerNamespace = 2;
        List<String> failures = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int round = 0; round < rounds; round++) {
                List<Future<Outcome>> results = new ArrayList<>();
                for (int n = 0; n < namespaces; n++) {
                    String ns = "r" + round + "n" + n;
                    // the writers of one namespace wait (briefly) until both have opened: the interleaving of
                    // ctr's concurrent fetches of one ref that exposed the missing lock
                    CountDownLatch opened = new CountDownLatch(writersPerNamespace);
                    for (int w = 0; w < writersPerNamespace; w++) {
                        results.add(pool.submit(() -> fetch(ns, ref, layer, digest, opened)));
                    }
                }
                for (Future<Outcome> f : results) {
                    try {
                        f.get(30, TimeUnit.SECONDS);
                    } catch (java.util.concurrent.ExecutionException e) {
                        failures.add(e.getCause().toString());
                    }
                }
            }
        }
        assertEquals(0, failures.size(), failures.size() + " of " + rounds * namespaces * writersPerNamespace
                + " pulls failed, the first: " + failures.stream().findFirst().orElse(""));
        for (int round = 0; round < rounds; round++) {
            for (int n = 0; n < namespaces; n++) {
                var info = grpc.inNamespace(ContentGrpc.newBlockingStub(grpc.channel()), "r" + round + "n" + n)
                        .info(InfoRequest.newBuilder().setDigest(digest).build()).getInfo();
                assertEquals(layer.length, info.getSize());
            }
        }
    }

    @Test
    void write_secondWriterOfASharedRef_isUnavailableUntilTheFirstCloses() throws Exception {
        byte[] layer = "shared layer".getBytes();
        String digest = sha256(layer);
        fetch("a", "layer-" + digest, layer, digest, new CountDownLatch(0));
        Session first = new Session("b");
        WriteContentResponse stat = first.send(stat("layer-" + digest, layer.length, digest));
        assertEquals(layer.length, stat.getOffset(), "a shared ingest is complete from the start");

        Session second = new Session("b");
        StatusRuntimeException locked = second.fail(stat("layer-" + digest, layer.length, digest));
        assertEquals(Status.Code.UNAVAILABLE, locked.getStatus().getCode());
        assertTrue(locked.getMessage().contains("locked"), locked.getMessage());

        first.send(commit("layer-" + digest, layer.length, digest));
        Session third = new Session("b");
        assertEquals(Status.Code.ALREADY_EXISTS,
                third.fail(stat("layer-" + digest, layer.length, digest)).getStatus().getCode());
    }

    private enum Outcome { COMMITTED, ALREADY_EXISTS }

    /** One client fetch of {@code data} into {@code ns}, as ctr's. */
    private Outcome fetch(String ns, String ref, byte[] data, String digest, CountDownLatch opened)
            throws Exception {
        Session s;
        WriteContentResponse status;
        int pause = 1;
        while (true) {
            s = new Session(ns);
            try {
                status = s.send(stat(ref, data.length, digest));
                break;
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() == Status.Code.ALREADY_EXISTS) {
                    opened.countDown();
                    return Outcome.ALREADY_EXISTS;
                }
                if (e.getStatus().getCode() != Status.Code.UNAVAILABLE) {
                    throw e;
                }
                opened.countDown();
                Thread.sleep(ThreadLocalRandom.current().nextInt(pause) + 1);
                pause = Math.min(pause * 2, 64);
            }
        }
        opened.countDown();
        opened.await(200, TimeUnit.MILLISECONDS);
        try {
            long offset = status.getOffset();
            if (offset < data.length) {
                s.send(req(ref).setAction(WriteAction.WRITE).setOffset(offset)
                        .setData(ByteString.copyFrom(data, (int) offset, data.length - (int) offset)).build());
            }
            s.send(commit(ref, data.length, digest));
            return Outcome.COMMITTED;
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.ALREADY_EXISTS) {
                return Outcome.ALREADY_EXISTS;
            }
            throw e;
        }
    }

    private static WriteContentRequest.Builder req(String ref) {
        return WriteContentRequest.newBuilder().setRef(ref);
    }

    private static WriteContentRequest stat(String ref, long total, String digest) {
        return req(ref).setAction(WriteAction.STAT).setTotal(total).setExpected(digest).build();
    }

    private static WriteContentRequest commit(String ref, long total, String digest) {
        return req(ref).setAction(WriteAction.COMMIT).setOffset(total).setTotal(total).setExpected(digest).build();
    }

    /** One open Write stream, driven message by message as containerd's remote writer drives it. */
    private final class Session {
        private final BlockingQueue<Object> answers = new LinkedBlockingQueue<>();
        private final StreamObserver<WriteContentRequest> requests;

        Session(String ns) {
            requests = grpc.inNamespace(ContentGrpc.newStub(grpc.channel()), ns).write(new StreamObserver<>() {
                public void onNext(WriteContentResponse r) {
                    answers.add(r);
                }

                public void onError(Throwable t) {
                    answers.add(t);
                }

                public void onCompleted() {
                }
            });
        }

        WriteContentResponse send(WriteContentRequest r) throws Exception {
            requests.onNext(r);
            Object answer = answers.poll(10, TimeUnit.SECONDS);
            if (answer instanceof StatusRuntimeException e) {
                throw e;
            }
            if (answer == null) {
                throw new AssertionError("no answer to " + r.getAction());
            }
            return (WriteContentResponse) answer;
        }

        StatusRuntimeException fail(WriteContentRequest r) throws Exception {
            try {
                send(r);
            } catch (StatusRuntimeException e) {
                return e;
            }
            throw new AssertionError(r.getAction() + " succeeded");
        }
    }

    private static String sha256(byte[] data) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
