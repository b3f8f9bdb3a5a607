package dev.berth.manager.dockerapi.http;

import dev.berth.log.Log;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.buffer.Unpooled;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * One connection's request loop: a request at a time (reading stops while its handler runs, so a keep-alive
 * connection is answered in order), each handled on the executor; after a hijack, raw bytes to a
 * {@link RawInput}. Bodies come whole from the aggregator, except those the handler streams: the aggregator lets
 * them through ({@link BodyAggregator}), the handler starts at their headers and their chunks go to a
 * {@link RequestBody}, the socket read only while the handler keeps up. Idle keep-alive connections stay open
 * until the client closes them.
 */
final class HttpChannelHandler extends ChannelInboundHandlerAdapter {

    static final String CODEC = "http-codec";
    static final String AGGREGATOR = "http-aggregator";
    static final String HANDLER = "http-handler";
    private static final Log LOG = Log.of(HttpChannelHandler.class);

    private final Handler handler;
    private final Executor executor;
    private final Map<String, String> defaults;
    private ChannelHandlerContext ctx;
    private boolean busy;
    private boolean keepAlive;
    private boolean inputShut;
    /** The body of the request being handled, while it is streamed. */
    private RequestBody body;

    HttpChannelHandler(Handler handler, Executor executor, Map<String, String> defaults) {
        this.handler = handler;
        this.executor = executor;
        this.defaults = defaults;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof FullHttpRequest full) {
                start(full, ByteBufUtil.getBytes(full.content()), null);
            } else if (msg instanceof HttpRequest head) {
                streamed(head);
            } else if (msg instanceof HttpContent content) {
                bodyChunk(content);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /** A request whose body the handler reads as it comes. */
    private void streamed(HttpRequest head) {
        if (!head.decoderResult().isSuccess()) {
            start(head, new byte[0], null);
            return;
        }
        if (HttpUtil.is100ContinueExpected(head)) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                    Unpooled.EMPTY_BUFFER));
        }
        RequestBody b = new RequestBody(() -> ctx.executor().execute(() -> {
            if (body != null) {
                ctx.read();
            }
        }));
        body = b;
        start(head, new byte[0], b);
        ctx.read();
    }

    private void bodyChunk(HttpContent content) {
        RequestBody b = body;
        if (b == null) {
            return; // the rest of a body whose handler is done: the connection closes after it
        }
        if (!content.decoderResult().isSuccess()) {
            b.fail(new IOException("read request body: " + content.decoderResult().cause().getMessage()));
            return;
        }
        boolean more = b.offer(ByteBufUtil.getBytes(content.content()));
        if (content instanceof LastHttpContent) {
            b.end();
        } else if (more) {
            ctx.read();
        }
    }

    private void start(HttpRequest msg, byte[] bytes, RequestBody stream) {
        ctx.channel().config().setAutoRead(false);
        busy = true;
        keepAlive = HttpUtil.isKeepAlive(msg);
        if (!msg.decoderResult().isSuccess()) {
            Reply reply = new Reply(ctx.channel(), this, false, defaults);
            keepAlive = false;
            reply.text(400, "bad request: " + msg.decoderResult().cause().getMessage());
            reply.finish(null);
            return;
        }
        Request request = request(msg, bytes, stream);
        Reply reply = new Reply(ctx.channel(), this, msg.method().equals(HttpMethod.HEAD), defaults);
        executor.execute(() -> {
            String failure = null;
            try {
                handler.handle(request, reply);
            } catch (RuntimeException e) { // a handler's bug: answer 500 rather than leave the client hanging
                LOG.warn("docker api request failed", e, "method", request.method(), "path", request.path());
                failure = e.toString();
            }
            reply.finish(failure);
        });
    }

    private static Request request(HttpRequest msg, byte[] bytes, RequestBody stream) {
        QueryStringDecoder q = new QueryStringDecoder(msg.uri());
        Map<String, List<String>> query = new HashMap<>(q.parameters());
        Map<String, String> headers = new HashMap<>();
        msg.headers().forEach(e -> headers.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue()));
        return stream == null ? new Request(msg.method().name(), q.path(), query, headers, bytes)
                : new Request(msg.method().name(), q.path(), query, headers, bytes, stream);
    }

    /** Whether {@code head}'s body is streamed to its handler instead of aggregated (asked once per request). */
    boolean streams(HttpRequest head) {
        return handler.streamsBody(head.method().name(), new QueryStringDecoder(head.uri()).path());
    }

    /** The response is complete: read the next request, or close if the client asked to (or half-closed). */
    void requestDone() {
        ctx.executor().execute(() -> {
            busy = false;
            boolean unread = body != null && !body.complete(); // what is left of it would be read as a request
            body = null;
            if (!keepAlive || inputShut || unread) {
                ctx.close();
            } else {
                ctx.channel().config().setAutoRead(true);
                ctx.read();
            }
        });
    }

    /** Writes {@code response}, then turns the connection into a raw byte stream to {@code input}. */
    ChannelFuture hijack(HttpResponse response, RawInput input) {
        ChannelPromise done = ctx.newPromise();
        ctx.executor().execute(() -> {
            ctx.writeAndFlush(response);
            var pipeline = ctx.pipeline();
            pipeline.addLast("raw", new RawHandler(input));
            pipeline.remove(AGGREGATOR);
            pipeline.remove(HANDLER); // this handler; its ctx stays usable for the rest of this task
            pipeline.remove(CODEC); // what it had read past the request goes on to the raw handler
            ctx.channel().config().setAutoRead(true);
            ctx.channel().read();
            done.setSuccess();
        });
        return done;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        bodyCut();
        super.channelInactive(ctx);
    }

    private void bodyCut() {
        if (body != null) {
            body.fail(new IOException("read request body: the client ended the connection before the body's end"));
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputShut = true;
            bodyCut();
            if (!busy) {
                ctx.close();
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("docker api connection failed", "cause", cause.toString());
        bodyCut();
        ctx.close();
    }

    /**
     * Netty's aggregator, except that it lets a request the handler streams pass as it is: its head is not
     * accepted, so the aggregator is not aggregating and its content passes too.
     */
    static final class BodyAggregator extends HttpObjectAggregator {
        private final HttpChannelHandler connection;

        BodyAggregator(int maxBody, HttpChannelHandler connection) {
            super(maxBody);
            this.connection = connection;
        }

        @Override
        public boolean acceptInboundMessage(Object msg) throws Exception {
            if (msg instanceof HttpRequest head && !(msg instanceof FullHttpRequest) && connection.streams(head)) {
                return false;
            }
            return super.acceptInboundMessage(msg);
        }
    }

    /** Raw bytes after a hijack. */
    private static final class RawHandler extends ChannelInboundHandlerAdapter {
        private final RawInput input;
        private boolean closed;

        RawHandler(RawInput input) {
            this.input = input;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf buf) {
                try {
                    if (!closed && buf.isReadable()) {
                        input.data(ByteBufUtil.getBytes(buf));
                    }
                } finally {
                    buf.release();
                }
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            close();
            ctx.close();
        }

        private void close() {
            if (!closed) {
                closed = true;
                input.closed();
            }
        }
    }
}
