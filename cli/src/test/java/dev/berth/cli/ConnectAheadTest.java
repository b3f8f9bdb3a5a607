package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.berth.cli.command.Session;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A verb's session connects to berthd before the verb asks for its client, and the CLI's JDK loggers are its own
 * quiet ones.
 */
@Timeout(30)
class ConnectAheadTest {
    private Path dir;

    @BeforeEach
    void dir() throws IOException {
        dir = Files.createTempDirectory("berth-cli-ahead-");
    }

    @AfterEach
    void remove() throws IOException {
        Files.deleteIfExists(dir.resolve("d.sock"));
        Files.deleteIfExists(dir);
    }

    @Test
    void session_connectsBeforeTheVerbAsksForItsClient() throws IOException {
        Path socket = dir.resolve("d.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Session session = new ConnectAhead(new Main.GlobalOptions(socket.toString(), "default", Map.of()),
                    List.of());

            // nothing has asked the session for its client yet: the connection and HTTP/2's preface come anyway
            try (SocketChannel accepted = server.accept()) {
                ByteBuffer preface = ByteBuffer.allocate(24);
                while (preface.hasRemaining() && accepted.read(preface) >= 0) {
                    continue;
                }
                assertEquals("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
                        new String(preface.array(), StandardCharsets.US_ASCII));
                session.connect().close();
            }
        }
    }

    @Test
    void jdkLoggers_areTheQuietOnes() {
        assertInstanceOf(QuietLoggerFinder.class, System.LoggerFinder.getLoggerFinder());
        assertFalse(System.getLogger("berth.test").isLoggable(System.Logger.Level.ERROR));
    }
}
