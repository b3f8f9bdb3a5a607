package dev.berth.api.ttrpc;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.berth.api.errdefs.Code;
import dev.berth.log.Log;
import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/** One accepted ttrpc connection: a reader thread that starts a {@link ServerCall} per request. */
final class ServerConnection {
    private static final Log LOG = Log.of(ServerConnection.class);

    private final SocketChannel channel;
    private final FrameReader reader;
    private final FrameWriter writer;
    private final Dispatcher dispatcher;
    private final ScheduledExecutorService timer;
    private final Consumer<ServerConnection> onClosed;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private int active;

    ServerConnection(
            SocketChannel channel,
            Dispatcher dispatcher,
            ScheduledExecutorService timer,
            Consumer<ServerConnection> onClosed) {
        this.channel = channel;
        this.reader = new FrameReader(channel);
        this.writer = new FrameWriter(channel);
        this.dispatcher = dispatcher;
        this.timer = timer;
        this.onClosed = onClosed;
    }

    void start() {
        // A virtual thread, as the client's reader (see there): the shim server holds a connection per container.
        Thread.ofVirtual().name("ttrpc-server-connection").start(this::readLoop);
    }

    private void readLoop() {
        try (channel) {
            while (true) {
                Optional<Frame> frame;
                try {
                    frame = reader.read();
                } catch (OversizeFrameException e) {
                    send(e.streamId(), Dispatcher.error(Code.RESOURCE_EXHAUSTED, "receive ttrpc request: " + e.getMessage()));
                    continue;
                }
                if (frame.isEmpty()) {
                    return;
                }
                accept(frame.get());
            }
        } catch (AsynchronousCloseException e) {
            // closed by shutdown
        } catch (IOException e) {
            LOG.debug("ttrpc connection ended", e);
        } finally {
            onClosed.accept(this);
        }
    }

    private void accept(Frame frame) {
        if (MessageType.of(frame.type()).filter(t -> t == MessageType.REQUEST).isEmpty()) {
            return; // other types are for streams, which unary ttrpc peers ignore
        }
        Request request;
        try {
            request = Request.parseFrom(frame.payload());
        } catch (InvalidProtocolBufferException e) {
            send(frame.streamId(), Dispatcher.error(Code.INVALID_ARGUMENT, "unmarshal request error: " + e.getMessage()));
            return;
        }
        if ((frame.streamId() & 1) == 0) {
            send(frame.streamId(),
                    Dispatcher.error(Code.INVALID_ARGUMENT, "StreamID must be odd for client initiated streams"));
            return;
        }
        lock.lock();
        try {
            active++;
        } finally {
            lock.unlock();
        }
        Thread.ofVirtual().name("ttrpc-call-" + Integer.toUnsignedString(frame.streamId()))
                .start(new ServerCall(this, frame.streamId(), request, dispatcher, timer));
    }

    void send(int streamId, Response response) {
        try {
            writer.write(Frame.of(streamId, MessageType.RESPONSE, response.toByteArray()));
        } catch (IOException e) {
            // The peer is gone or the connection was closed by shutdown; the caller can no longer be told.
            LOG.debug("send ttrpc response", e, "stream", Integer.toUnsignedString(streamId));
        }
    }

    void callEnded() {
        lock.lock();
        try {
            active--;
            if (active == 0) {
                idle.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits until no call is in flight or the deadline passes, then closes the connection. */
    void shutdown(Instant deadline) {
        lock.lock();
        try {
            while (active > 0) {
                long left = Duration.between(Instant.now(), deadline).toNanos();
                if (left <= 0 || !idle.await(left, TimeUnit.NANOSECONDS)) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
        closeNow();
    }

    void closeNow() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("close ttrpc connection", e);
        }
    }
}
