package dev.berth.manager.service.content;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.berth.api.services.content.v1.ContentGrpc;
import dev.berth.api.services.content.v1.InfoRequest;
import dev.berth.api.services.content.v1.ReadContentRequest;
import dev.berth.api.services.content.v1.StatusRequest;
import dev.berth.api.services.content.v1.WriteAction;
import dev.berth.api.services.content.v1.WriteContentRequest;
import dev.berth.api.services.content.v1.WriteContentResponse;
import dev.berth.manager.content.LocalContentStore;
import dev.berth.manager.service.InProcessGrpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentServiceTest {

    @TempDir
    Path root;
    private final dev.berth.manager.event.Exchange exchange = new dev.berth.manager.event.Exchange();
    private InProcessGrpc grpc;
    private ContentGrpc.ContentBlockingStub blocking;
    private ContentGrpc.ContentStub async;

    @BeforeEach
    void serve() throws Exception {
        LocalContentStore store = LocalContentStore.open(root);
        grpc = new InProcessGrpc(new ContentService((ns, lease) -> store, exchange));
        blocking = grpc.inNamespace(ContentGrpc.newBlockingStub(grpc.channel()), "default");
        async = grpc.inNamespace(ContentGrpc.newStub(grpc.channel()), "default");
    }

    @AfterEach
    void stop() throws Exception {
        grpc.close();
    }

    private static String sha256(byte[] data) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    /** Runs one Write stream of {@code requests}; returns the responses or throws the stream's error. */
    private List<WriteContentResponse> write(List<WriteContentRequest> requests) throws Exception {
        List<WriteContentResponse> got = new ArrayList<>();
        CompletableFuture<List<WriteContentResponse>> done = new CompletableFuture<>();
        StreamObserver<WriteContentRequest> in = async.write(new StreamObserver<>() {
            public void onNext(WriteContentResponse r) {
                got.add(r);
            }

            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            public void onCompleted() {
                done.complete(got);
            }
        });
        requests.forEach(in::onNext);
        in.onCompleted();
        try {
            return done.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    private static WriteContentRequest.Builder req(String ref) {
        return WriteContentRequest.newBuilder().setRef(ref);
    }

    @Test
    void write_statWriteCommit_thenInfoAndRead() throws Exception {
        byte[] data = "hello, berth".getBytes();
        String dgst = sha256(data);
        List<WriteContentResponse> out = write(List.of(
                req("r1").setAction(WriteAction.STAT).setTotal(data.length).setExpected(dgst).build(),
                req("r1").setAction(WriteAction.WRITE).setOffset(0).setData(ByteString.copyFrom(data, 0, 5)).build(),
                req("r1").setAction(WriteAction.COMMIT).setOffset(5).setData(ByteString.copyFrom(data, 5, 7))
                        .setTotal(data.length).setExpected(dgst).putLabels("a", "b").build()));
        assertEquals(3, out.size());
        assertEquals(0, out.get(0).getOffset());
        assertEquals(5, out.get(1).getOffset());
        assertEquals(12, out.get(2).getOffset());
        assertEquals(dgst, out.get(2).getDigest());
        var info = blocking.info(InfoRequest.newBuilder().setDigest(dgst).build()).getInfo();
        assertEquals(12, info.getSize());
        assertEquals("b", info.getLabelsMap().get("a"));
        ByteString read = ByteString.EMPTY;
        var it = blocking.read(ReadContentRequest.newBuilder().setDigest(dgst).setOffset(7).build());
        while (it.hasNext()) {
            read = read.concat(it.next().getData());
        }
        assertArrayEquals("berth".getBytes(), read.toByteArray());
    }

    @Test
    void write_existingDigest_isAlreadyExists() throws Exception {
        byte[] data = "once".getBytes();
        String dgst = sha256(data);
        write(List.of(req("a").setAction(WriteAction.COMMIT).setData(ByteString.copyFrom(data))
                .setTotal(4).setExpected(dgst).build()));
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> write(List.of(
                req("b").setAction(WriteAction.STAT).setExpected(dgst).build())));
        assertEquals(Status.Code.ALREADY_EXISTS, e.getStatus().getCode());
    }

    @Test
    void write_wrongDigest_isFailedPreconditionAndLeavesNoIngest() throws Exception {
        byte[] data = "data".getBytes();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> write(List.of(
                req("bad").setAction(WriteAction.COMMIT).setData(ByteString.copyFrom(data)).setTotal(4)
                        .setExpected(sha256("other".getBytes())).build())));
        assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
        StatusRuntimeException gone = assertThrows(StatusRuntimeException.class,
                () -> blocking.status(StatusRequest.newBuilder().setRef("bad").build()));
        assertEquals(Status.Code.NOT_FOUND, gone.getStatus().getCode());
    }

    @Test
    void write_interrupted_resumesAtItsOffset() throws Exception {
        byte[] data = "0123456789".getBytes();
        String dgst = sha256(data);
        write(List.of(req("resume").setAction(WriteAction.WRITE).setTotal(10).setExpected(dgst)
                .setData(ByteString.copyFrom(data, 0, 4)).build()));
        assertEquals(4, blocking.status(StatusRequest.newBuilder().setRef("resume").build()).getStatus().getOffset());
        List<WriteContentResponse> out = write(List.of(
                req("resume").setAction(WriteAction.STAT).build(),
                req("resume").setAction(WriteAction.COMMIT).setOffset(4).setData(ByteString.copyFrom(data, 4, 6))
                        .setTotal(10).setExpected(dgst).build()));
        assertEquals(4, out.get(0).getOffset());
        assertEquals(dgst, out.get(1).getDigest());
    }

    @Test
    void write_offsetNotCurrent_isInvalidArgument() throws Exception {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> write(List.of(
                req("x").setAction(WriteAction.WRITE).setOffset(7).setData(ByteString.copyFromUtf8("z")).build())));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("current offset 0"), e.getStatus().getDescription());
    }

    @Test
    void calls_withoutNamespace_areInvalidArgument_badDigestToo() {
        var bare = ContentGrpc.newBlockingStub(grpc.channel());
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> bare.info(InfoRequest.newBuilder().setDigest("sha256:00").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        StatusRuntimeException d = assertThrows(StatusRuntimeException.class,
                () -> blocking.info(InfoRequest.newBuilder().setDigest("sha256:00").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, d.getStatus().getCode());
        assertTrue(d.getStatus().getDescription().startsWith("content info"), d.getStatus().getDescription());
    }
}
