package dev.berth.api.ttrpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import dev.berth.api.errdefs.Code;
import dev.berth.log.Log;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A ttrpc client on one unix socket connection: calls from any number of threads are multiplexed on odd stream ids
 * and matched with their responses by a reader thread.
 */
public final class TtrpcClient implements AutoCloseable {
    /** A timeout that waits for the response as long as the connection lives, and sends no deadline. */
    public static final Duration NO_DEADLINE = ChronoUnit.FOREVER.getDuration();

    private static final Log LOG = Log.of(TtrpcClient.class);

    private final SocketChannel channel;
    private final FrameWriter writer;
    private final PendingCalls pending = new PendingCalls();
    private final AtomicInteger nextStreamId = new AtomicInteger(1);
    private final CompletableFuture<Void> ended = new CompletableFuture<>();

    private TtrpcClient(SocketChannel channel) {
        this.channel = channel;
        this.writer = new FrameWriter(channel);
        FrameReader reader = new FrameReader(channel);
        // A virtual thread, though a platform reader saves the JDK poller's wake-up on every response: measured with
        // RoundTripBench, that helps only platform callers (berthd's are virtual) and costs ~120 KB per connection.
        Thread.ofVirtual().name("ttrpc-client-reader").start(() -> readLoop(reader));
    }

    /** Connects to the ttrpc server listening on a unix socket path. */
    public static TtrpcClient connect(Path socketPath) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socketPath));
        } catch (IOException e) {
            channel.close();
            throw new IOException("connect to ttrpc socket " + socketPath + ": " + e.getMessage(), e);
        }
        return new TtrpcClient(channel);
    }

    /** A client over an already connected socket, which the client then owns and closes. */
    public static TtrpcClient over(SocketChannel connected) {
        return new TtrpcClient(connected);
    }

    /**
     * Calls a method with a raw payload and returns the response payload.
     *
     * @param timeout how long to wait, also sent to the server as the call's deadline; {@link #NO_DEADLINE} waits
     *     as long as the connection lives
     * @throws TtrpcException with the server's status, or UNAVAILABLE (connection closed), DEADLINE_EXCEEDED
     *     (timeout passed), RESOURCE_EXHAUSTED (request over 4 MiB), CANCELLED (interrupted)
     */
    public byte[] call(String service, String method, byte[] payload, Metadata metadata, Duration timeout) {
        String call = service + "/" + method;
        Request.Builder request = Request.newBuilder()
                .setService(service)
                .setMethod(method)
                .setPayload(ByteString.copyFrom(payload))
                .addAllMetadata(metadata.toKeyValues());
        boolean hasDeadline = !timeout.equals(NO_DEADLINE);
        if (hasDeadline) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("call " + call + ": timeout must be positive: " + timeout);
            }
            request.setTimeoutNano(timeout.toNanos());
        }
        int streamId = nextStreamId.getAndAdd(2);
        CompletableFuture<Response> future = pending.register(streamId);
        try {
            writer.write(Frame.of(streamId, MessageType.REQUEST, request.build().toByteArray()));
        } catch (OversizeFrameException e) {
            pending.abandon(streamId);
            throw new TtrpcException(Code.RESOURCE_EXHAUSTED, "call " + call + ": " + e.getMessage(), e);
        } catch (IOException e) {
            pending.abandon(streamId);
            throw new TtrpcException(Code.UNAVAILABLE, "call " + call + ": send request: " + e.getMessage(), e);
        }
        Response response = await(call, streamId, future, hasDeadline ? Optional.of(timeout) : Optional.empty());
        if (response.hasStatus() && !Statuses.isOk(response.getStatus())) {
            throw Statuses.toException(response.getStatus());
        }
        return response.getPayload().toByteArray();
    }

    /** Calls a method with a protobuf request and parses the response with {@code parser}; errors as above. */
    public <T extends MessageLite> T call(
            String service, String method, MessageLite request, Parser<T> parser, Metadata metadata, Duration timeout) {
        byte[] response = call(service, method, request.toByteArray(), metadata, timeout);
        try {
            return parser.parseFrom(response);
        } catch (InvalidProtocolBufferException e) {
            throw new TtrpcException(
                    Code.INTERNAL, "call " + service + "/" + method + ": decode response: " + e.getMessage(), e);
        }
    }

    private Response await(String call, int streamId, CompletableFuture<Response> future, Optional<Duration> timeout) {
        try {
            return timeout.isPresent()
                    ? future.get(timeout.get().toNanos(), TimeUnit.NANOSECONDS)
                    : future.get();
        } catch (TimeoutException e) {
            pending.abandon(streamId);
            throw new TtrpcException(Code.DEADLINE_EXCEEDED, "call " + call + ": deadline exceeded after " + timeout.get());
        } catch (InterruptedException e) {
            pending.abandon(streamId);
            Thread.currentThread().interrupt();
            throw new TtrpcException(Code.CANCELLED, "call " + call + ": interrupted");
        } catch (ExecutionException e) {
            TtrpcException cause = (TtrpcException) e.getCause();
            throw new TtrpcException(cause.code(), "call " + call + ": " + cause.getMessage(), cause);
        }
    }

    private void readLoop(FrameReader reader) {
        String reason = "connection closed";
        try {
            while (true) {
                Optional<Frame> frame;
                try {
                    frame = reader.read();
                } catch (OversizeFrameException e) {
                    pending.fail(e.streamId(), new TtrpcException(Code.RESOURCE_EXHAUSTED, "receive response: " + e.getMessage()));
                    continue;
                }
                if (frame.isEmpty()) {
                    return;
                }
                receive(frame.get());
            }
        } catch (AsynchronousCloseException e) {
            reason = "client closed";
        } catch (IOException e) {
            reason = "connection lost: " + e.getMessage();
            LOG.debug("ttrpc client connection ended", e);
        } finally {
            pending.closeAll(reason);
            ended.complete(null);
        }
    }

    private void receive(Frame frame) {
        if (MessageType.of(frame.type()).filter(t -> t == MessageType.RESPONSE).isEmpty()) {
            return;
        }
        try {
            pending.complete(frame.streamId(), Response.parseFrom(frame.payload()));
        } catch (InvalidProtocolBufferException e) {
            pending.fail(frame.streamId(), new TtrpcException(Code.INTERNAL, "decode response: " + e.getMessage()));
        }
    }

    /**
     * Completes once the connection has ended, after every call still waiting failed: the server closed it or went
     * away, or {@link #close} was called.
     */
    public CompletableFuture<Void> ended() {
        return ended.copy();
    }

    /** Closes the connection; calls still waiting fail with UNAVAILABLE. */
    @Override
    public void close() throws IOException {
        channel.close();
    }
}
