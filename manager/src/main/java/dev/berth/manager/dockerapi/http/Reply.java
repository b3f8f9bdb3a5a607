package dev.berth.manager.dockerapi.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The answer to one request: exactly one of {@link #send}, {@link #stream} or {@link #hijack}. Writes go through
 * the channel (thread-safe in Netty); a write waits while the channel is not writable, so a slow client slows
 * the producer instead of filling memory.
 */
public final class Reply {

    /** How long a write waits for a slow client before giving it up. */
    private static final long WRITE_WAIT_SECONDS = 60;

    private final Channel channel;
    private final HttpChannelHandler connection;
    private final boolean head;
    private final Map<String, String> defaults;
    private final List<Runnable> onClose = new CopyOnWriteArrayList<>();
    private final ChannelFutureListener closeListener = f -> onClose.forEach(Runnable::run);
    private State state = State.NEW;

    private enum State { NEW, STREAMING, DONE, HIJACKED }

    Reply(Channel channel, HttpChannelHandler connection, boolean head, Map<String, String> defaults) {
        this.channel = channel;
        this.connection = connection;
        this.head = head;
        this.defaults = defaults;
        channel.closeFuture().addListener(closeListener);
    }

    /** Runs {@code action} if the connection closes before this request is done (a client that went away). */
    public void onClose(Runnable action) {
        onClose.add(action);
        if (!channel.isOpen()) {
            action.run();
        }
    }

    /** Whether an answer was started. */
    public synchronized boolean answered() {
        return state != State.NEW;
    }

    /** A whole answer; {@code body} may be empty (then no Content-Type is sent). */
    public synchronized void send(int status, String contentType, byte[] body, Map<String, String> headers) {
        begin(State.DONE);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        headers(r.headers(), headers);
        if (body.length > 0 && contentType != null) {
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        if (status != 204 && status != 304) {
            r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        }
        await(channel.writeAndFlush(r));
    }

    public void json(int status, byte[] body) {
        send(status, "application/json", body, Map.of());
    }

    /** A status without a body (204, 304, 201 …). */
    public void empty(int status) {
        send(status, null, new byte[0], Map.of());
    }

    public void text(int status, String body) {
        send(status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** Starts a chunked answer: the headers are flushed at once (a client waiting for them is not kept waiting). */
    public synchronized Chunks stream(int status, String contentType, Map<String, String> headers) {
        begin(State.STREAMING);
        HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
        headers(r.headers(), headers);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        r.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        channel.writeAndFlush(r);
        return new Chunks() {
            @Override
            public boolean write(byte[] chunk) {
                synchronized (Reply.this) {
                    if (state != State.STREAMING || !channel.isActive()) {
                        return false;
                    }
                    if (chunk.length > 0) {
                        await(channel.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(chunk))));
                    }
                    return channel.isActive();
                }
            }

            @Override
            public void end() {
                endStream();
            }

            @Override
            public void abort() {
                synchronized (Reply.this) {
                    state = State.DONE;
                    channel.close();
                }
            }
        };
    }

    /**
     * Takes the connection over: with the request's {@code Upgrade} header a {@code 101 UPGRADED} (docker's
     * {@code Connection: Upgrade}, {@code Upgrade: tcp}), without it a {@code 200} with {@code contentType}; then
     * raw bytes both ways until {@link Raw#close}. The client's half-close reaches {@code input} and does not end
     * the output. The connection is not reused.
     */
    public synchronized Raw hijack(boolean upgrade, String contentType, RawInput input) {
        begin(State.HIJACKED);
        HttpResponse r;
        if (upgrade) {
            r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, new HttpResponseStatus(101, "UPGRADED"));
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
            r.headers().set(HttpHeaderNames.UPGRADE, "tcp");
        } else {
            r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        }
        headers(r.headers(), Map.of());
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        connection.hijack(r, input).awaitUninterruptibly(WRITE_WAIT_SECONDS, TimeUnit.SECONDS);
        return new Raw() {
            @Override
            public boolean write(byte[] bytes) {
                if (!channel.isActive()) {
                    return false;
                }
                await(channel.writeAndFlush(Unpooled.wrappedBuffer(bytes)));
                return channel.isActive();
            }

            @Override
            public void close() {
                channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        };
    }

    private synchronized void endStream() {
        if (state == State.STREAMING) {
            state = State.DONE;
            await(channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
        }
    }

    /** After the handler returned: ends what it left open and hands the connection back (or closes it). */
    void finish(String failure) {
        synchronized (this) {
            if (state == State.NEW && failure != null) {
                send(500, "text/plain; charset=utf-8", failure.getBytes(StandardCharsets.UTF_8), Map.of());
            } else if (state == State.NEW) {
                send(500, "text/plain; charset=utf-8", "no answer".getBytes(StandardCharsets.UTF_8), Map.of());
            } else if (state == State.STREAMING && failure != null) {
                channel.close(); // a body cut short must not look complete
                state = State.DONE;
            }
            endStream();
        }
        channel.closeFuture().removeListener(closeListener);
        if (state != State.HIJACKED) {
            connection.requestDone();
        }
    }

    private void begin(State next) {
        if (state != State.NEW) {
            throw new IllegalStateException("reply: already answered");
        }
        state = next;
    }

    private void headers(HttpHeaders h, Map<String, String> extra) {
        defaults.forEach(h::set);
        extra.forEach(h::set);
    }

    /** Waits for the write when the channel is full, so a producer cannot outrun its client. */
    private void await(ChannelFuture f) {
        if (!channel.isWritable()) {
            f.awaitUninterruptibly(WRITE_WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }
}
