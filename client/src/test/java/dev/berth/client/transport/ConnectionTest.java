package dev.berth.client.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.Status;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The connection's flow control where the interleaving matters, against a bare HTTP/2 peer that controls when its
 * frames arrive: the peer's SETTINGS reaching the reader while a stream is being opened.
 */
@Timeout(60)
class ConnectionTest {
    private Path dir;

    @BeforeEach
    void tempDir() throws IOException {
        dir = Files.createTempDirectory("berth-h2c-conn-");
    }

    @AfterEach
    void removeTempDir() throws IOException {
        Files.deleteIfExists(dir);
    }

    @Test
    void send_streamOpenedWhileThePeersSettingsArrive_hasThePeersWindow() throws Exception {
        // the peer's SETTINGS (a 1 MiB initial window) reach the reader while a stream is being opened (its
        // handler is slow to take it): the stream must have the peer's 1 MiB, not the protocol's 64 KiB, or an
        // upload waits for a WINDOW_UPDATE that grpc-netty sends only after half its own window is consumed
        try (RawPeer peer = RawPeer.listen(dir.resolve("raw.sock"), 200)) {
            try (Connection connection = Connection.open(peer.socket)) {
                Connection.Stream stream = connection.open(headers("x.Y/Put"), new SlowToOpen(600), false);
                Thread sender = Thread.ofPlatform().start(() -> {
                    try {
                        connection.send(stream, new byte[2 << 20], true);
                    } catch (IOException | InterruptedException e) {
                        // the connection closed at the test's end
                    }
                });
                peer.awaitData(1 << 20, 10);
                assertEquals(1 << 20, peer.received(), "the stream sends exactly the peer's window");
                connection.close();
                sender.join(10_000);
            }
        }
    }

    private static List<Header> headers(String method) {
        return List.of(new Header(":method", "POST"), new Header(":scheme", "http"),
                new Header(":path", "/" + method), new Header(":authority", "localhost"),
                new Header("content-type", "application/grpc"), new Header("te", "trailers"));
    }

    /** A stream's handler that is slow to take its stream and ignores its events. */
    private static final class SlowToOpen implements Connection.Handler {
        private final long openDelayMillis;

        SlowToOpen(long openDelayMillis) {
            this.openDelayMillis = openDelayMillis;
        }

        @Override
        public void opened(Connection.Stream stream) {
            try {
                Thread.sleep(openDelayMillis); // the reader thread meanwhile takes the server's SETTINGS
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void headers(List<Header> fields, boolean endStream) {
        }

        @Override
        public void data(byte[] data, boolean endStream) {
        }

        @Override
        public void failed(Status status) {
        }
    }

    /**
     * A bare HTTP/2 server: sends its SETTINGS (initial window 1 MiB, and a connection window of 16 MiB) a
     * moment after the client's preface, never grants a stream's window back, and counts the DATA octets received.
     */
    private static final class RawPeer implements AutoCloseable {
        final Path socket;
        private final java.nio.channels.ServerSocketChannel server;
        private final Thread thread;
        private final java.util.concurrent.atomic.AtomicLong data = new java.util.concurrent.atomic.AtomicLong();

        private RawPeer(Path socket, java.nio.channels.ServerSocketChannel server, long settingsDelayMillis) {
            this.socket = socket;
            this.server = server;
            this.thread = Thread.ofPlatform().daemon().start(() -> serve(settingsDelayMillis));
        }

        static RawPeer listen(Path socket, long settingsDelayMillis) throws IOException {
            java.nio.channels.ServerSocketChannel server = java.nio.channels.ServerSocketChannel.open(
                    java.net.StandardProtocolFamily.UNIX);
            server.bind(java.net.UnixDomainSocketAddress.of(socket));
            return new RawPeer(socket, server, settingsDelayMillis);
        }

        private void serve(long settingsDelayMillis) {
            try (java.nio.channels.SocketChannel c = server.accept()) {
                read(c, Connection.PREFACE.length);
                Thread.sleep(settingsDelayMillis);
                ByteBuffer settings = ByteBuffer.allocate(6).putShort((short) Connection.SETTINGS_INITIAL_WINDOW_SIZE)
                        .putInt(1 << 20);
                write(c, Connection.SETTINGS, 0, 0, settings.array());
                write(c, Connection.WINDOW_UPDATE, 0, 0, ByteBuffer.allocate(4).putInt((16 << 20) - 65_535)
                        .array());
                while (true) {
                    ByteBuffer head = read(c, 9);
                    int length = (head.get() & 0xff) << 16 | (head.get() & 0xff) << 8 | head.get() & 0xff;
                    int type = head.get() & 0xff;
                    read(c, length);
                    if (type == Connection.DATA) {
                        data.addAndGet(length);
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the client closed, or the test is over
            }
        }

        long received() {
            return data.get();
        }

        /** Waits until {@code octets} of DATA arrived and no more for a moment; fails after {@code seconds}. */
        void awaitData(long octets, int seconds) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (data.get() < octets && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            Thread.sleep(200);
        }

        private static ByteBuffer read(java.nio.channels.SocketChannel c, int n) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(n);
            while (b.hasRemaining()) {
                if (c.read(b) < 0) {
                    throw new java.io.EOFException();
                }
            }
            return b.flip();
        }

        private static void write(java.nio.channels.SocketChannel c, int type, int flags, int stream, byte[] payload)
                throws IOException {
            ByteBuffer b = ByteBuffer.allocate(9 + payload.length);
            b.put((byte) (payload.length >>> 16)).put((byte) (payload.length >>> 8)).put((byte) payload.length);
            b.put((byte) type).put((byte) flags).putInt(stream).put(payload).flip();
            while (b.hasRemaining()) {
                c.write(b);
            }
        }

        @Override
        public void close() throws IOException, InterruptedException {
            server.close();
            thread.join(5_000);
            Files.deleteIfExists(socket);
        }
    }
}
