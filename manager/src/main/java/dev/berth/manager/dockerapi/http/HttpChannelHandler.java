package dev.berth.manager.dockerapi.http;

import dev.berth.log.Log;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * One connection's request loop: a request at a time (reading stops while its handler runs, so a keep-alive
 * connection is answered in order), each handled on the executor; after a hijack, raw bytes to a
 * {@link RawInput}. Idle keep-alive connections stay open until the client closes them.
 */
final class HttpChannelHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

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
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
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
        Request request = request(msg);
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

    private static Request request(FullHttpRequest msg) {
        QueryStringDecoder q = new QueryStringDecoder(msg.uri());
        Map<String, List<String>> query = new HashMap<>(q.parameters());
        Map<String, String> headers = new HashMap<>();
        msg.headers().forEach(e -> headers.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue()));
        return new Request(msg.method().name(), q.path(), query, headers, ByteBufUtil.getBytes(msg.content()));
    }

    /** The response is complete: read the next request, or close if the client asked to (or half-closed). */
    void requestDone() {
        ctx.executor().execute(() -> {
            busy = false;
            if (!keepAlive || inputShut) {
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
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputShut = true;
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
        ctx.close();
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
                io.netty.util.ReferenceCountUtil.release(msg);
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
