package dev.berth.client.transport;

import io.grpc.Status;
import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One HTTP/2 connection (RFC 9113) with prior knowledge over a unix socket: the client side of h2c as gRPC uses
 * it. A reader thread takes the peer's frames (SETTINGS, PING, GOAWAY, WINDOW_UPDATE, and each stream's HEADERS,
 * CONTINUATION, DATA, RST_STREAM) and hands stream events to the stream's {@link Handler}; writers share the
 * socket under one lock. Flow control both ways: DATA waits for the peer's windows; this side grants each stream
 * {@link #STREAM_WINDOW} octets and tops the window up as the application consumes messages
 * ({@link #consumed}), so a slow reader holds back the sender instead of filling the heap.
 */
final class Connection implements AutoCloseable {
    static final int DATA = 0x0;
    static final int HEADERS = 0x1;
    static final int RST_STREAM = 0x3;
    static final int SETTINGS = 0x4;
    static final int PUSH_PROMISE = 0x5;
    static final int PING = 0x6;
    static final int GOAWAY = 0x7;
    static final int WINDOW_UPDATE = 0x8;
    static final int CONTINUATION = 0x9;

    static final int FLAG_END_STREAM = 0x1;
    static final int FLAG_ACK = 0x1;
    static final int FLAG_END_HEADERS = 0x4;
    static final int FLAG_PADDED = 0x8;
    static final int FLAG_PRIORITY = 0x20;

    static final int SETTINGS_HEADER_TABLE_SIZE = 0x1;
    static final int SETTINGS_ENABLE_PUSH = 0x2;
    static final int SETTINGS_INITIAL_WINDOW_SIZE = 0x4;
    static final int SETTINGS_MAX_FRAME_SIZE = 0x5;
    static final int SETTINGS_MAX_HEADER_LIST_SIZE = 0x6;

    static final long PROTOCOL_ERROR = 0x1;
    static final long FLOW_CONTROL_ERROR = 0x3;
    static final long FRAME_SIZE_ERROR = 0x6;
    static final long CANCEL = 0x8;
    static final long COMPRESSION_ERROR = 0x9;

    static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    /** What this side receives per frame: the protocol's default, never raised. */
    static final int MAX_FRAME_SIZE = 16_384;
    /** The receive window of each stream (gRPC's own default); of the connection, {@link #CONNECTION_WINDOW}. */
    static final int STREAM_WINDOW = 1 << 20;
    static final int CONNECTION_WINDOW = 1 << 24;
    static final int HEADER_TABLE_SIZE = 4096;
    static final int MAX_HEADER_LIST_SIZE = 1 << 20;
    private static final int DEFAULT_WINDOW = 65_535;

    /** The events of one stream, called on the reader thread; they must not block. */
    interface Handler {
        /** The stream exists (before its HEADERS are sent, so before any other event). */
        void opened(Stream stream);

        /** A complete header block: the response headers, or the trailers ({@code endStream}). */
        void headers(List<Header> fields, boolean endStream);

        /** DATA octets ({@code data} is the handler's to keep); the stream's window is topped up by consumed(). */
        void data(byte[] data, boolean endStream);

        /**
         * The stream is over without trailers: RST_STREAM from the peer, a GOAWAY that excludes it, a lost
         * connection.
         */
        void failed(Status status);
    }

    /**
     * A stream of this connection: its id, the window the peer granted for it and which sides have ended it (all
     * guarded by the flow lock).
     */
    static final class Stream {
        final int id;
        final Handler handler;
        private long sendWindow;
        private int ungranted;
        /** No more DATA: this side reset it, the peer did, or the connection is gone. */
        private boolean reset;
        private boolean localEnded;
        private boolean remoteEnded;

        private Stream(int id, Handler handler) {
            this.id = id;
            this.handler = handler;
        }
    }

    private final SocketChannel socket;
    private final String address;
    private final Object writeLock = new Object();
    private final Object flow = new Object();
    private final Map<Integer, Stream> streams = new ConcurrentHashMap<>();
    private final Hpack.Decoder decoder = new Hpack.Decoder(HEADER_TABLE_SIZE, MAX_HEADER_LIST_SIZE);
    private final ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024).flip();
    /** Guarded by writeLock. */
    private int nextStreamId = 1;
    /** Guarded by flow. */
    private long connectionSendWindow = DEFAULT_WINDOW;
    private int peerInitialWindow = DEFAULT_WINDOW;
    private volatile int peerMaxFrameSize = MAX_FRAME_SIZE;
    /** Octets received on the connection and not yet granted back (reader thread only). */
    private int ungranted;
    private volatile boolean closeWhenIdle;
    /** Set once: why the connection can take no new stream (GOAWAY, a failure, close). */
    private volatile Status closed;

    private Connection(SocketChannel socket, String address) {
        this.socket = socket;
        this.address = address;
    }

    /** Connects to {@code socket}, sends the preface and this side's settings, and starts reading. */
    static Connection open(Path path) throws IOException {
        SocketChannel socket = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            socket.connect(UnixDomainSocketAddress.of(path));
            Connection c = new Connection(socket, "unix://" + path);
            c.start();
            return c;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private void start() throws IOException {
        ByteBuffer settings = ByteBuffer.allocate(4 * 6);
        settings.putShort((short) SETTINGS_ENABLE_PUSH).putInt(0);
        settings.putShort((short) SETTINGS_INITIAL_WINDOW_SIZE).putInt(STREAM_WINDOW);
        settings.putShort((short) SETTINGS_MAX_HEADER_LIST_SIZE).putInt(MAX_HEADER_LIST_SIZE);
        synchronized (writeLock) {
            write(ByteBuffer.wrap(PREFACE));
            writeFrame(SETTINGS, 0, 0, settings.array(), 0, 18);
            writeFrame(WINDOW_UPDATE, 0, 0, windowIncrement(CONNECTION_WINDOW - DEFAULT_WINDOW), 0, 4);
        }
        // a class, not this::readLoop: the AOT cache holds classes, a lambda is spun at each start
        Thread.ofPlatform().daemon().name("berth-h2c-reader").start(new Runnable() {
            @Override
            public void run() {
                readLoop();
            }
        });
    }

    /** Whether a new stream may start here. */
    boolean usable() {
        return closed == null;
    }

    /** Opens a stream: its HEADERS (with CONTINUATION where the block is larger than a frame) are sent here. */
    Stream open(List<Header> headers, Handler handler, boolean endStream) throws IOException {
        byte[] block = Hpack.encode(headers);
        synchronized (writeLock) {
            Status why = closed;
            if (why != null) {
                throw new IOException("open stream on " + address + ": " + why.getDescription());
            }
            int id = nextStreamId;
            nextStreamId += 2;
            Stream stream = new Stream(id, handler);
            handler.opened(stream);
            synchronized (flow) {
                // the window and the registration under one lock: SETTINGS that change the initial window either
                // came before (peerInitialWindow has them) or find the stream registered (RFC 9113 section 6.9.2)
                stream.sendWindow = peerInitialWindow;
                streams.put(id, stream);
            }
            int max = peerMaxFrameSize;
            int first = Math.min(block.length, max);
            int flags = (endStream ? FLAG_END_STREAM : 0) | (first == block.length ? FLAG_END_HEADERS : 0);
            writeFrame(HEADERS, flags, id, block, 0, first);
            for (int off = first; off < block.length; off += max) {
                int n = Math.min(block.length - off, max);
                writeFrame(CONTINUATION, off + n == block.length ? FLAG_END_HEADERS : 0, id, block, off, n);
            }
            return stream;
        }
    }

    /**
     * Sends {@code data} on {@code stream} in DATA frames no larger than the peer allows, each waiting for
     * window; {@code endStream} ends this side of the stream with the last one (an empty frame when no data).
     */
    void send(Stream stream, byte[] data, boolean endStream) throws IOException, InterruptedException {
        int off = 0;
        do {
            int n;
            synchronized (flow) {
                while (true) {
                    if (stream.reset) {
                        throw new IOException("send on stream " + stream.id + " of " + address + ": stream closed");
                    }
                    int want = data.length - off;
                    if (want == 0) {
                        n = 0; // an empty frame (the end of the stream) needs no window
                        break;
                    }
                    // a window may be below zero after the peer lowered SETTINGS_INITIAL_WINDOW_SIZE
                    long available = Math.min(Math.min(connectionSendWindow, stream.sendWindow), peerMaxFrameSize);
                    if (available > 0) {
                        n = (int) Math.min(available, want);
                        connectionSendWindow -= n;
                        stream.sendWindow -= n;
                        break;
                    }
                    flow.wait();
                }
            }
            boolean last = off + n == data.length;
            synchronized (writeLock) {
                writeFrame(DATA, last && endStream ? FLAG_END_STREAM : 0, stream.id, data, off, n);
            }
            if (last && endStream) {
                synchronized (flow) {
                    stream.localEnded = true;
                }
            }
            off += n;
        } while (off < data.length);
    }

    /**
     * The application has taken {@code octets} of the stream's DATA: they are granted back to the peer, in
     * WINDOW_UPDATEs of at least a quarter of the window, so that the peer always has three quarters to send in.
     */
    void consumed(Stream stream, int octets) {
        int grant;
        synchronized (flow) {
            stream.ungranted += octets;
            if (stream.ungranted < STREAM_WINDOW / 4 || !streams.containsKey(stream.id)) {
                return;
            }
            grant = stream.ungranted;
            stream.ungranted = 0;
        }
        try {
            synchronized (writeLock) {
                writeFrame(WINDOW_UPDATE, 0, stream.id, windowIncrement(grant), 0, 4);
            }
        } catch (IOException e) {
            fail(unavailable("write to " + address, e));
        }
    }

    /**
     * Ends the stream from this side with RST_STREAM {@code errorCode} unless it is closed already (both sides
     * ended it, or it was reset): a peer that answered before this side's end learns that no more DATA comes.
     */
    void reset(Stream stream, long errorCode) {
        boolean open;
        synchronized (flow) {
            open = !stream.reset && !(stream.localEnded && stream.remoteEnded);
            stream.reset = true;
            flow.notifyAll();
        }
        if (!open || closed != null) {
            removeStream(stream.id);
            return;
        }
        try {
            synchronized (writeLock) {
                ByteBuffer b = ByteBuffer.allocate(4).putInt((int) errorCode);
                writeFrame(RST_STREAM, 0, stream.id, b.array(), 0, 4);
            }
        } catch (IOException e) {
            fail(unavailable("write to " + address, e));
        }
        removeStream(stream.id);
    }

    /** The peer ended the stream (END_STREAM): it is no longer this connection's to route. */
    void remoteEnded(Stream stream) {
        synchronized (flow) {
            stream.remoteEnded = true;
        }
        removeStream(stream.id);
    }

    /** Removes a stream from routing; the last one closes a connection asked to close when idle. */
    private Stream removeStream(int id) {
        Stream s = streams.remove(id);
        if (s != null && closeWhenIdle && streams.isEmpty()) {
            fail(Status.UNAVAILABLE.withDescription(address + " closed"));
        }
        return s;
    }

    /** Closes now if no stream is open, otherwise when the last one ends. */
    void closeWhenIdle() {
        closeWhenIdle = true;
        if (streams.isEmpty()) {
            close();
        }
    }

    int activeStreams() {
        return streams.size();
    }

    /** Closes the socket: every open stream fails UNAVAILABLE. */
    @Override
    public void close() {
        fail(Status.UNAVAILABLE.withDescription(address + " closed"));
    }

    private void readLoop() {
        try {
            while (true) {
                readFrame();
            }
        } catch (ProtocolException e) {
            goAway(e.code, e.getMessage());
            fail(Status.INTERNAL.withDescription("http/2 error from " + address + ": " + e.getMessage()));
        } catch (IOException e) {
            fail(unavailable(closed == null ? "read from " + address : address + " closed", e));
        }
    }

    private void readFrame() throws IOException, ProtocolException {
        ByteBuffer head = read(9);
        int length = (head.get() & 0xff) << 16 | (head.get() & 0xff) << 8 | head.get() & 0xff;
        int type = head.get() & 0xff;
        int flags = head.get() & 0xff;
        int streamId = head.getInt() & 0x7fff_ffff;
        if (length > MAX_FRAME_SIZE) {
            throw new ProtocolException(FRAME_SIZE_ERROR, "frame of " + length + " octets");
        }
        byte[] payload = new byte[length];
        read(length).get(payload);
        switch (type) {
            case DATA -> onData(streamId, flags, payload);
            case HEADERS -> onHeaders(streamId, flags, payload);
            case RST_STREAM -> onReset(streamId, payload);
            case SETTINGS -> onSettings(streamId, flags, payload);
            case PING -> onPing(streamId, flags, payload);
            case GOAWAY -> onGoAway(payload);
            case WINDOW_UPDATE -> onWindowUpdate(streamId, payload);
            case PUSH_PROMISE -> throw new ProtocolException(PROTOCOL_ERROR, "push promise with push disabled");
            case CONTINUATION -> throw new ProtocolException(PROTOCOL_ERROR, "continuation without headers");
            default -> {
                // PRIORITY and unknown types are ignored (RFC 9113 sections 5.5 and 6.3)
            }
        }
    }

    private void onData(int streamId, int flags, byte[] payload) throws IOException, ProtocolException {
        if (streamId == 0) {
            throw new ProtocolException(PROTOCOL_ERROR, "data on stream 0");
        }
        ungranted += payload.length;
        if (ungranted >= CONNECTION_WINDOW / 2) {
            synchronized (writeLock) {
                writeFrame(WINDOW_UPDATE, 0, 0, windowIncrement(ungranted), 0, 4);
            }
            ungranted = 0;
        }
        int[] range = unpad(flags, payload, 0);
        Stream stream = streams.get(streamId);
        if (stream == null) {
            return; // reset by this side meanwhile
        }
        // padding counts against the window but reaches nobody: granted back now
        consumed(stream, payload.length - range[1]);
        boolean end = (flags & FLAG_END_STREAM) != 0;
        if (end) {
            remoteEnded(stream);
        }
        stream.handler.data(java.util.Arrays.copyOfRange(payload, range[0], range[0] + range[1]), end);
    }

    private void onHeaders(int streamId, int flags, byte[] payload) throws IOException, ProtocolException {
        if (streamId == 0) {
            throw new ProtocolException(PROTOCOL_ERROR, "headers on stream 0");
        }
        int[] range = unpad(flags, payload, (flags & FLAG_PRIORITY) != 0 ? 5 : 0);
        java.io.ByteArrayOutputStream block = new java.io.ByteArrayOutputStream();
        block.write(payload, range[0], range[1]);
        int f = flags;
        while ((f & FLAG_END_HEADERS) == 0) {
            ByteBuffer head = read(9);
            int length = (head.get() & 0xff) << 16 | (head.get() & 0xff) << 8 | head.get() & 0xff;
            int type = head.get() & 0xff;
            f = head.get() & 0xff;
            int id = head.getInt() & 0x7fff_ffff;
            if (type != CONTINUATION || id != streamId) {
                throw new ProtocolException(PROTOCOL_ERROR, "header block of stream " + streamId + " interrupted");
            }
            if (length > MAX_FRAME_SIZE || block.size() + length > MAX_HEADER_LIST_SIZE) {
                throw new ProtocolException(FRAME_SIZE_ERROR, "header block too large");
            }
            byte[] more = new byte[length];
            read(length).get(more);
            block.writeBytes(more);
        }
        List<Header> fields;
        try {
            // decoded even for a stream this side reset: the table is the connection's
            fields = decoder.decode(block.toByteArray());
        } catch (HpackException e) {
            throw new ProtocolException(COMPRESSION_ERROR, e.getMessage());
        }
        Stream stream = streams.get(streamId);
        if (stream == null) {
            return;
        }
        boolean end = (flags & FLAG_END_STREAM) != 0;
        if (end) {
            remoteEnded(stream);
        }
        stream.handler.headers(fields, end);
    }

    private void onReset(int streamId, byte[] payload) throws ProtocolException {
        if (streamId == 0 || payload.length != 4) {
            throw new ProtocolException(PROTOCOL_ERROR, "malformed rst_stream");
        }
        Stream stream = removeStream(streamId);
        if (stream == null) {
            return;
        }
        synchronized (flow) {
            stream.reset = true;
            flow.notifyAll();
        }
        long code = ByteBuffer.wrap(payload).getInt() & 0xffff_ffffL;
        // gRPC's mapping of HTTP/2 error codes (PROTOCOL-HTTP2.md, "Errors")
        Status status = switch ((int) code) {
            case 0x7 -> Status.UNAVAILABLE; // REFUSED_STREAM: not processed, safe to retry
            case 0x8 -> Status.CANCELLED;
            case 0xb -> Status.RESOURCE_EXHAUSTED; // ENHANCE_YOUR_CALM
            case 0xc -> Status.PERMISSION_DENIED; // INADEQUATE_SECURITY
            default -> Status.INTERNAL;
        };
        stream.handler.failed(status.withDescription("stream reset by " + address + " (http/2 error " + code + ")"));
    }

    private void onSettings(int streamId, int flags, byte[] payload) throws IOException, ProtocolException {
        if (streamId != 0 || payload.length % 6 != 0) {
            throw new ProtocolException(FRAME_SIZE_ERROR, "malformed settings");
        }
        if ((flags & FLAG_ACK) != 0) {
            return;
        }
        ByteBuffer b = ByteBuffer.wrap(payload);
        while (b.hasRemaining()) {
            int id = b.getShort() & 0xffff;
            long value = b.getInt() & 0xffff_ffffL;
            if (id == SETTINGS_INITIAL_WINDOW_SIZE) {
                if (value > Integer.MAX_VALUE) {
                    throw new ProtocolException(FLOW_CONTROL_ERROR, "initial window " + value);
                }
                synchronized (flow) {
                    long delta = value - peerInitialWindow;
                    peerInitialWindow = (int) value;
                    for (Stream s : streams.values()) {
                        s.sendWindow += delta;
                    }
                    flow.notifyAll();
                }
            } else if (id == SETTINGS_MAX_FRAME_SIZE) {
                if (value < MAX_FRAME_SIZE || value > 16_777_215) {
                    throw new ProtocolException(PROTOCOL_ERROR, "max frame size " + value);
                }
                peerMaxFrameSize = (int) value;
            }
            // HEADER_TABLE_SIZE: this side's encoder never indexes; the others bind a server or are advisory
        }
        synchronized (writeLock) {
            writeFrame(SETTINGS, FLAG_ACK, 0, payload, 0, 0);
        }
    }

    private void onPing(int streamId, int flags, byte[] payload) throws IOException, ProtocolException {
        if (streamId != 0 || payload.length != 8) {
            throw new ProtocolException(FRAME_SIZE_ERROR, "malformed ping");
        }
        if ((flags & FLAG_ACK) == 0) {
            synchronized (writeLock) {
                writeFrame(PING, FLAG_ACK, 0, payload, 0, 8);
            }
        }
    }

    /** No new streams; those above the last the peer will process fail UNAVAILABLE (they were not processed). */
    private void onGoAway(byte[] payload) throws ProtocolException {
        if (payload.length < 8) {
            throw new ProtocolException(FRAME_SIZE_ERROR, "malformed goaway");
        }
        ByteBuffer b = ByteBuffer.wrap(payload);
        int last = b.getInt() & 0x7fff_ffff;
        long code = b.getInt() & 0xffff_ffffL;
        String debug = new String(payload, 8, payload.length - 8, StandardCharsets.UTF_8);
        Status status = Status.UNAVAILABLE.withDescription("berthd is going away (goaway, http/2 error "
                + code + (debug.isEmpty() ? "" : ": " + debug) + ")");
        synchronized (writeLock) {
            if (closed == null) {
                closed = status;
            }
        }
        for (Stream s : streams.values()) {
            if (s.id > last && removeStream(s.id) != null) {
                s.handler.failed(status);
            }
        }
    }

    private void onWindowUpdate(int streamId, byte[] payload) throws ProtocolException {
        if (payload.length != 4) {
            throw new ProtocolException(FRAME_SIZE_ERROR, "malformed window_update");
        }
        int increment = ByteBuffer.wrap(payload).getInt() & 0x7fff_ffff;
        synchronized (flow) {
            if (streamId == 0) {
                if (increment == 0 || connectionSendWindow + increment > Integer.MAX_VALUE) {
                    throw new ProtocolException(FLOW_CONTROL_ERROR, "connection window update " + increment);
                }
                connectionSendWindow += increment;
            } else {
                Stream s = streams.get(streamId);
                if (s != null) {
                    s.sendWindow += increment;
                }
            }
            flow.notifyAll();
        }
    }

    /** Every stream fails with {@code status}; the socket is closed. Idempotent. */
    private void fail(Status status) {
        synchronized (writeLock) {
            if (closed == null) {
                closed = status;
            }
        }
        synchronized (flow) {
            flow.notifyAll();
        }
        try {
            socket.close();
        } catch (IOException e) {
            // closing a unix socket that failed: nothing left to release
        }
        for (Stream s : streams.values()) {
            if (removeStream(s.id) != null) {
                synchronized (flow) {
                    s.reset = true;
                }
                s.handler.failed(status);
            }
        }
    }

    private void goAway(long code, String message) {
        try {
            synchronized (writeLock) {
                byte[] debug = message.getBytes(StandardCharsets.UTF_8);
                ByteBuffer b = ByteBuffer.allocate(8 + debug.length).putInt(0).putInt((int) code).put(debug);
                writeFrame(GOAWAY, 0, 0, b.array(), 0, b.capacity());
            }
        } catch (IOException e) {
            // the connection is being failed anyway
        }
    }

    /** [offset, length] of the frame's content without padding (and without {@code skip} leading octets). */
    private static int[] unpad(int flags, byte[] payload, int skip) throws ProtocolException {
        int pad = 0;
        int start = 0;
        if ((flags & FLAG_PADDED) != 0) {
            if (payload.length < 1) {
                throw new ProtocolException(PROTOCOL_ERROR, "padded frame without pad length");
            }
            pad = payload[0] & 0xff;
            start = 1;
        }
        start += skip;
        int length = payload.length - start - pad;
        if (length < 0) {
            throw new ProtocolException(PROTOCOL_ERROR, "padding exceeds the frame");
        }
        return new int[] {start, length};
    }

    private static byte[] windowIncrement(int increment) {
        return ByteBuffer.allocate(4).putInt(increment).array();
    }

    /** Caller holds writeLock. */
    private void writeFrame(int type, int flags, int streamId, byte[] payload, int off, int length) throws IOException {
        ByteBuffer frame = ByteBuffer.allocate(9 + length);
        frame.put((byte) (length >>> 16)).put((byte) (length >>> 8)).put((byte) length);
        frame.put((byte) type).put((byte) flags).putInt(streamId);
        frame.put(payload, off, length).flip();
        write(frame);
    }

    private void write(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            socket.write(b);
        }
    }

    /** Exactly {@code n} octets from the socket, in the returned buffer's remaining; reader thread only. */
    private ByteBuffer read(int n) throws IOException {
        if (readBuffer.remaining() >= n) {
            ByteBuffer slice = readBuffer.slice(readBuffer.position(), n);
            readBuffer.position(readBuffer.position() + n);
            return slice;
        }
        ByteBuffer out = ByteBuffer.allocate(n);
        while (out.hasRemaining()) {
            if (!readBuffer.hasRemaining()) {
                readBuffer.clear();
                int got = socket.read(readBuffer);
                readBuffer.flip();
                if (got < 0) {
                    throw new EOFException("end of stream from berthd");
                }
            }
            int take = Math.min(out.remaining(), readBuffer.remaining());
            out.put(readBuffer.slice(readBuffer.position(), take));
            readBuffer.position(readBuffer.position() + take);
        }
        return out.flip();
    }

    private static Status unavailable(String what, IOException e) {
        return Status.UNAVAILABLE.withDescription(what + ": " + e.getMessage()).withCause(e);
    }

    /** A connection error (RFC 9113 section 5.4.1): GOAWAY with {@code code}, then the connection is closed. */
    private static final class ProtocolException extends Exception {
        private final long code;

        ProtocolException(long code, String message) {
            super(message);
            this.code = code;
        }
    }
}
