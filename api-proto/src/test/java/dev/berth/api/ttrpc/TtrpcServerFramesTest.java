package dev.berth.api.ttrpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.berth.api.errdefs.Code;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TtrpcServer fed raw frames, for the cases a well-behaved client never produces. */
class TtrpcServerFramesTest {
    private static final String SERVICE = "berth.test.v1.Echo";

    @TempDir Path dir;

    private final CountDownLatch slowInterrupted = new CountDownLatch(1);
    private TtrpcServer server;
    private SocketChannel channel;
    private FrameReader reader;

    @BeforeEach
    void start() throws IOException {
        server = new TtrpcServer(TtrpcService.builder(SERVICE)
                .method("Echo", (context, payload) -> payload)
                .method("Slow", (context, payload) -> {
                    try {
                        Thread.sleep(Duration.ofSeconds(30));
                    } catch (InterruptedException e) {
                        slowInterrupted.countDown();
                        Thread.currentThread().interrupt();
                    }
                    return payload;
                })
                .build());
        Path socket = dir.resolve("ttrpc.sock");
        server.listen(socket);
        channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        reader = new FrameReader(channel);
    }

    @AfterEach
    void stop() throws IOException {
        channel.close();
        server.shutdown(Duration.ofSeconds(1));
    }

    private void sendRequest(int streamId, Request request) throws IOException {
        new FrameWriter(channel).write(Frame.of(streamId, MessageType.REQUEST, request.toByteArray()));
    }

    private Response receive(int expectedStreamId) throws IOException {
        Frame frame = reader.read().orElseThrow();
        assertEquals(expectedStreamId, frame.streamId());
        assertEquals(MessageType.RESPONSE.value(), frame.type());
        return Response.parseFrom(frame.payload());
    }

    private static Request echo(String method, long timeoutNanos) {
        return Request.newBuilder().setService(SERVICE).setMethod(method)
                .setPayload(ByteString.copyFromUtf8("hi")).setTimeoutNano(timeoutNanos).build();
    }

    @Test
    void serve_oversizeFrame_answersResourceExhaustedAndKeepsConnection() throws IOException {
        ByteBuffer oversize = ByteBuffer.allocate(10 + (4 << 20) + 1);
        oversize.putInt((4 << 20) + 1).putInt(11).put((byte) 1).put((byte) 0).position(0);
        while (oversize.hasRemaining()) {
            channel.write(oversize);
        }
        assertEquals(Code.RESOURCE_EXHAUSTED.value(), receive(11).getStatus().getCode());
        sendRequest(13, echo("Echo", 0));
        Response response = receive(13);
        assertEquals(Code.OK.value(), response.getStatus().getCode());
        assertEquals("hi", response.getPayload().toStringUtf8());
    }

    @Test
    void serve_evenStreamId_isInvalidArgument() throws IOException {
        sendRequest(2, echo("Echo", 0));
        Response response = receive(2);
        assertEquals(Code.INVALID_ARGUMENT.value(), response.getStatus().getCode());
        assertEquals("StreamID must be odd for client initiated streams", response.getStatus().getMessage());
    }

    @Test
    void serve_garbageRequest_isInvalidArgument() throws IOException {
        new FrameWriter(channel).write(Frame.of(1, MessageType.REQUEST, new byte[] {(byte) 0xff, 0x01}));
        assertEquals(Code.INVALID_ARGUMENT.value(), receive(1).getStatus().getCode());
    }

    @Test
    void serve_dataFrame_isIgnored() throws IOException {
        new FrameWriter(channel).write(Frame.of(1, MessageType.DATA, new byte[] {1}));
        sendRequest(3, echo("Echo", 0));
        assertEquals(Code.OK.value(), receive(3).getStatus().getCode());
    }

    @Test
    void serve_timeoutNanoPasses_answersDeadlineExceeded() throws Exception {
        sendRequest(5, echo("Slow", Duration.ofMillis(100).toNanos()));
        Response response = receive(5);
        assertEquals(Code.DEADLINE_EXCEEDED.value(), response.getStatus().getCode());
        assertTrue(slowInterrupted.await(5, TimeUnit.SECONDS));
    }
}
