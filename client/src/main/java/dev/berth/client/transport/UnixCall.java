package dev.berth.client.transport;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.InternalMetadata;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One gRPC call on an HTTP/2 stream (gRPC over HTTP/2, grpc/grpc {@code doc/PROTOCOL-HTTP2.md}): request headers
 * and length-prefixed messages out; response headers, messages and trailers (grpc-status, grpc-message) in,
 * delivered to the listener in order on the call's serial executor, messages only as far as {@link #request}
 * asked. A message leaves the receive window when the listener has it.
 */
final class UnixCall<Q, R> extends ClientCall<Q, R> implements Connection.Handler {
    private static final String USER_AGENT = "berth-client grpc-h2c";
    private static final Executor DIRECT = new Executor() {
        @Override
        public void execute(Runnable command) {
            command.run();
        }
    };

    private final UnixChannel channel;
    private final MethodDescriptor<Q, R> method;
    private final CallOptions options;
    private final Context context;
    private final int maxInboundMessageSize;
    // classes, not lambdas, on the path of every call: the AOT cache holds classes, a lambda is spun at each start
    private final Context.CancellationListener onContextCancelled = new Context.CancellationListener() {
        @Override
        public void cancelled(Context c) {
            cancelWith(statusOf(c));
        }
    };
    private final Runnable drainer = new Runnable() {
        @Override
        public void run() {
            drain();
        }
    };

    private SerialExecutor executor;
    private Listener<R> listener;
    private Connection connection;
    private Connection.Stream stream;
    private ScheduledFuture<?> deadlineTimer;
    private volatile Deadline deadline;

    /** Guarded by this. */
    private final ArrayDeque<Received> messages = new ArrayDeque<>();
    /** The message being read: its 5-octet prefix (compressed flag, length), then its body. */
    private final byte[] prefix = new byte[5];
    private int prefixFill;
    private byte[] body;
    private int bodyFill;
    private int demand;
    private boolean headersSeen;
    private Status closeStatus;
    private Metadata closeTrailers;
    private boolean closeDelivered;
    private boolean halfClosed;

    UnixCall(UnixChannel channel, MethodDescriptor<Q, R> method, CallOptions options) {
        this.channel = channel;
        this.method = method;
        this.options = options;
        this.context = Context.current();
        Integer max = options.getMaxInboundMessageSize();
        this.maxInboundMessageSize = max != null ? max : channel.maxInboundMessageSize();
    }

    @Override
    public void start(Listener<R> responseListener, Metadata headers) {
        if (listener != null) {
            throw new IllegalStateException("call already started");
        }
        listener = responseListener;
        Executor callbacks = options.getExecutor() != null ? options.getExecutor() : channel.callbackExecutor();
        executor = new SerialExecutor(callbacks);
        if (context.isCancelled()) {
            closeNow(statusOf(context), new Metadata());
            return;
        }
        Deadline deadline = earliest(options.getDeadline(), context.getDeadline());
        this.deadline = deadline;
        if (deadline != null && deadline.isExpired()) {
            closeNow(Status.DEADLINE_EXCEEDED.withDescription("deadline exceeded before the call started"),
                    new Metadata());
            return;
        }
        List<Header> fields = new ArrayList<>();
        fields.add(new Header(":method", "POST"));
        fields.add(new Header(":scheme", "http"));
        fields.add(new Header(":path", "/" + method.getFullMethodName()));
        fields.add(new Header(":authority", channel.authority()));
        fields.add(new Header("content-type", "application/grpc"));
        fields.add(new Header("te", "trailers"));
        fields.add(new Header("user-agent", USER_AGENT));
        if (deadline != null) {
            fields.add(new Header("grpc-timeout", timeout(deadline.timeRemaining(TimeUnit.NANOSECONDS))));
        }
        byte[][] md = InternalMetadata.serialize(headers);
        for (int i = 0; i + 1 < md.length; i += 2) {
            String name = new String(md[i], StandardCharsets.US_ASCII);
            byte[] value = name.endsWith(Metadata.BINARY_HEADER_SUFFIX)
                    ? Base64.getEncoder().withoutPadding().encode(md[i + 1]) : md[i + 1];
            fields.add(new Header(name, new String(value, StandardCharsets.ISO_8859_1)));
        }
        try {
            connection = channel.connection();
            connection.open(fields, this, false);
        } catch (IOException e) {
            closeNow(Status.UNAVAILABLE.withDescription("connect to " + channel.address() + ": " + e.getMessage())
                    .withCause(e), new Metadata());
            return;
        }
        context.addListener(onContextCancelled, DIRECT);
        // the stream takes messages now (a sender that waits for window blocks in sendMessage): say so once, as
        // grpc-java's transport does when a stream starts, for callers that send from their onReady handler
        executor.execute(new Runnable() {
            @Override
            public void run() {
                if (!closeDelivered()) {
                    listener.onReady();
                }
            }
        });
        if (deadline != null) {
            deadlineTimer = channel.timer().schedule(() -> cancelWith(Status.DEADLINE_EXCEEDED
                            .withDescription("deadline exceeded after " + deadline)),
                    deadline.timeRemaining(TimeUnit.NANOSECONDS), TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void request(int count) {
        synchronized (this) {
            demand = (int) Math.min(Integer.MAX_VALUE, (long) demand + count);
        }
        scheduleDrain();
    }

    @Override
    public void cancel(String message, Throwable cause) {
        if (message == null && cause == null) {
            message = "call cancelled";
        }
        cancelWith(Status.CANCELLED.withDescription(message).withCause(cause));
    }

    @Override
    public void halfClose() {
        Connection.Stream s;
        synchronized (this) {
            if (halfClosed) {
                throw new IllegalStateException("call already half-closed");
            }
            halfClosed = true;
            s = closeStatus == null ? stream : null;
        }
        if (s != null) {
            send(s, new byte[0], true);
        }
    }

    @Override
    public void sendMessage(Q message) {
        Connection.Stream s;
        synchronized (this) {
            if (halfClosed) {
                throw new IllegalStateException("message after half-close");
            }
            s = closeStatus == null ? stream : null;
        }
        if (s == null) {
            return; // the call is over: gRPC drops what is sent after its end
        }
        byte[] body;
        try (InputStream in = method.streamRequest(message)) {
            body = in.readAllBytes();
        } catch (IOException e) {
            cancelWith(Status.INTERNAL.withDescription("serialize " + method.getFullMethodName() + " request")
                    .withCause(e));
            return;
        }
        byte[] framed = new byte[5 + body.length];
        ByteBuffer.wrap(framed).put((byte) 0).putInt(body.length).put(body);
        send(s, framed, false);
    }

    @Override
    public synchronized boolean isReady() {
        return closeStatus == null && stream != null;
    }

    private void send(Connection.Stream s, byte[] data, boolean endStream) {
        try {
            connection.send(s, data, endStream);
        } catch (IOException e) {
            // the stream or connection is over: its handler has the status, or the reader will
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancelWith(Status.CANCELLED.withDescription("interrupted while sending").withCause(e));
        }
    }

    // --- the connection's events --------------------------------------------------------------------------------

    @Override
    public synchronized void opened(Connection.Stream s) {
        stream = s;
    }

    @Override
    public void headers(List<Header> fields, boolean endStream) {
        Metadata md = metadata(fields);
        boolean first;
        synchronized (this) {
            first = !headersSeen;
            headersSeen = true;
        }
        if (first) {
            String status = value(fields, ":status");
            if (!"200".equals(status)) {
                closeRemote(httpStatus(status).withDescription("berthd answered http status " + status), md);
                return;
            }
            String type = value(fields, "content-type");
            if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/grpc")) {
                closeRemote(Status.INTERNAL.withDescription("berthd answered content-type " + type), md);
                return;
            }
            if (!endStream) {
                executor.execute(new Runnable() {
                    @Override
                    public void run() {
                        if (!closeDelivered()) {
                            listener.onHeaders(md);
                        }
                    }
                });
                return;
            }
        }
        if (!endStream) {
            closeRemote(Status.INTERNAL.withDescription("headers after the response headers without end of stream"),
                    md);
            return;
        }
        synchronized (this) {
            if (prefixFill > 0) {
                closeRemote(Status.INTERNAL.withDescription("stream ended inside a message"), md);
                return;
            }
        }
        closeRemote(trailerStatus(fields), md);
    }

    /**
     * Deframes the length-prefixed messages. Octets of a message still incomplete are granted back to the peer at
     * once (a message may be larger than the window); those of a complete message when the listener has it.
     */
    @Override
    public void data(byte[] data, boolean endStream) {
        Status error = null;
        int grantNow = data.length;
        synchronized (this) {
            if (!headersSeen) {
                error = Status.INTERNAL.withDescription("data before the response headers");
            }
            int current = 0; // octets of this chunk in the message being read
            for (int off = 0; error == null && off < data.length; ) {
                if (body == null) {
                    int n = Math.min(5 - prefixFill, data.length - off);
                    System.arraycopy(data, off, prefix, prefixFill, n);
                    prefixFill += n;
                    off += n;
                    current += n;
                    if (prefixFill < 5) {
                        break;
                    }
                    long length = ByteBuffer.wrap(prefix, 1, 4).getInt() & 0xffff_ffffL;
                    if (prefix[0] != 0) {
                        error = Status.INTERNAL.withDescription("compressed message, none was asked for");
                    } else if (length > maxInboundMessageSize) {
                        error = Status.RESOURCE_EXHAUSTED.withDescription("message of " + length
                                + " octets is larger than " + maxInboundMessageSize);
                    } else {
                        body = new byte[(int) length];
                        bodyFill = 0;
                    }
                    if (error != null) {
                        break;
                    }
                }
                int n = Math.min(body.length - bodyFill, data.length - off);
                System.arraycopy(data, off, body, bodyFill, n);
                bodyFill += n;
                off += n;
                current += n;
                if (bodyFill == body.length) {
                    messages.add(new Received(body, current));
                    grantNow -= current;
                    current = 0;
                    body = null;
                    prefixFill = 0;
                }
            }
        }
        if (error != null) {
            cancelWith(error);
            return;
        }
        Connection.Stream s = stream();
        if (s != null) {
            connection.consumed(s, grantNow);
        }
        if (endStream) {
            closeRemote(Status.INTERNAL.withDescription("stream ended without trailers"), new Metadata());
            return;
        }
        scheduleDrain();
    }

    private synchronized Connection.Stream stream() {
        return stream;
    }

    /**
     * The stream broke (reset, GOAWAY, the connection lost): the status names the call, and carries no I/O cause,
     * which would tell the caller that berthd could not be reached when it went away mid-call.
     */
    @Override
    public void failed(Status status) {
        Deadline d = deadline;
        if (status.getCode() == Status.Code.CANCELLED && d != null && d.isExpired()) {
            // the server's reset raced this side's timer (grpc-java's client reports the same)
            status = Status.DEADLINE_EXCEEDED.withDescription("deadline exceeded: " + status.getDescription());
        }
        closeNow(Status.fromCode(status.getCode()).withDescription(method.getFullMethodName() + ": "
                + status.getDescription()), new Metadata());
    }

    // --- closing and delivery ------------------------------------------------------------------------------------

    private void cancelWith(Status status) {
        Connection.Stream s;
        synchronized (this) {
            s = closeStatus == null ? stream : null;
        }
        closeNow(status, new Metadata());
        if (s != null) {
            connection.reset(s, Connection.CANCEL);
        }
    }

    /** The peer's end: messages already received are delivered first. */
    private void closeRemote(Status status, Metadata trailers) {
        Connection.Stream s;
        synchronized (this) {
            if (closeStatus != null) {
                return;
            }
            closeStatus = status;
            closeTrailers = trailers;
            s = halfClosed ? null : stream;
        }
        finish();
        if (s != null) {
            // the server is done while this side still had something to send: release the stream
            connection.reset(s, Connection.CANCEL);
        }
        scheduleDrain();
    }

    /** This side's end, or a broken stream: what was not delivered is dropped; the first status stays. */
    private void closeNow(Status status, Metadata trailers) {
        synchronized (this) {
            if (closeDelivered) {
                return;
            }
            messages.clear();
            if (closeStatus == null) {
                closeStatus = status;
                closeTrailers = trailers;
            }
        }
        finish();
        scheduleDrain();
    }

    private void finish() {
        context.removeListener(onContextCancelled);
        ScheduledFuture<?> t = deadlineTimer;
        if (t != null) {
            t.cancel(false);
        }
    }

    private synchronized boolean closeDelivered() {
        return closeDelivered;
    }

    private void scheduleDrain() {
        if (executor != null) {
            executor.execute(drainer);
        }
    }

    /** On the serial executor: requested messages, then the close once nothing is left to deliver. */
    private void drain() {
        while (true) {
            Received next;
            Status status;
            Metadata trailers;
            synchronized (this) {
                if (closeDelivered) {
                    return;
                }
                if (demand > 0 && !messages.isEmpty()) {
                    next = messages.poll();
                    demand--;
                    status = null;
                    trailers = null;
                } else if (messages.isEmpty() && closeStatus != null) {
                    closeDelivered = true;
                    next = null;
                    status = closeStatus;
                    trailers = closeTrailers;
                } else {
                    return;
                }
            }
            if (next == null) {
                listener.onClose(status, trailers);
                return;
            }
            R response;
            try {
                response = method.parseResponse(new ByteArrayInputStream(next.message()));
            } catch (RuntimeException e) { // the marshaller's parse failure (protobuf's is unchecked)
                cancelWith(Status.INTERNAL.withDescription("parse " + method.getFullMethodName() + " response: "
                        + e.getMessage()).withCause(e));
                continue;
            }
            listener.onMessage(response);
            Connection.Stream s = stream();
            if (s != null) {
                connection.consumed(s, next.credit());
            }
        }
    }

    /** A complete message and the octets of the window it holds until delivered. */
    private record Received(byte[] message, int credit) {
    }

    // --- conversions ---------------------------------------------------------------------------------------------

    private static Metadata metadata(List<Header> fields) {
        List<byte[]> raw = new ArrayList<>();
        for (Header h : fields) {
            if (h.name().startsWith(":")) {
                continue;
            }
            byte[] value = h.value().getBytes(StandardCharsets.ISO_8859_1);
            if (h.name().endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
                try {
                    value = Base64.getDecoder().decode(value);
                } catch (IllegalArgumentException e) {
                    continue; // a binary header that is not base64: dropped, as grpc-java does
                }
            }
            raw.add(h.name().getBytes(StandardCharsets.US_ASCII));
            raw.add(value);
        }
        return InternalMetadata.newMetadata(raw.toArray(new byte[0][]));
    }

    private static String value(List<Header> fields, String name) {
        for (Header h : fields) {
            if (h.name().equals(name)) {
                return h.value();
            }
        }
        return null;
    }

    /** grpc-status and grpc-message (percent-encoded UTF-8) of the trailers. */
    static Status trailerStatus(List<Header> fields) {
        String code = value(fields, "grpc-status");
        if (code == null) {
            return Status.UNKNOWN.withDescription("trailers without grpc-status");
        }
        Status status;
        try {
            status = Status.fromCodeValue(Integer.parseInt(code));
        } catch (NumberFormatException e) {
            return Status.UNKNOWN.withDescription("grpc-status " + code);
        }
        String message = value(fields, "grpc-message");
        return message == null ? status : status.withDescription(percentDecode(message));
    }

    static String percentDecode(String s) {
        byte[] in = s.getBytes(StandardCharsets.ISO_8859_1);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(in.length);
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '%' && i + 2 < in.length) {
                int hi = Character.digit(in[i + 1], 16);
                int lo = Character.digit(in[i + 2], 16);
                if (hi >= 0 && lo >= 0) {
                    out.write(hi << 4 | lo);
                    i += 2;
                    continue;
                }
            }
            out.write(in[i]);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** gRPC's mapping of an HTTP status without grpc-status (PROTOCOL-HTTP2.md, "HTTP to gRPC Status Code"). */
    static Status httpStatus(String status) {
        return switch (status == null ? "" : status) {
            case "400" -> Status.INTERNAL;
            case "401" -> Status.UNAUTHENTICATED;
            case "403" -> Status.PERMISSION_DENIED;
            case "404" -> Status.UNIMPLEMENTED;
            case "429", "502", "503", "504" -> Status.UNAVAILABLE;
            default -> Status.UNKNOWN;
        };
    }

    /** grpc-timeout: at most 8 digits and the finest unit that holds the value. */
    static String timeout(long nanos) {
        long n = Math.max(nanos, 0);
        String[] units = {"n", "u", "m", "S", "M", "H"};
        long[] per = {1, 1_000, 1_000_000, 1_000_000_000L, 60_000_000_000L, 3_600_000_000_000L};
        for (int i = 0; i < units.length; i++) {
            long v = n / per[i];
            if (v < 100_000_000L) {
                return v + units[i];
            }
        }
        return "99999999H";
    }

    private static Deadline earliest(Deadline a, Deadline b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : a.minimum(b);
    }

    private static Status statusOf(Context cancelled) {
        Status s = io.grpc.Contexts.statusFromCancelled(cancelled);
        return s != null ? s : Status.CANCELLED.withDescription("context cancelled");
    }
}
