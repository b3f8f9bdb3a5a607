package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A plain {@code berth version}: both halves without picocli, over the client's own transport. */
class VersionTest {
    private Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void dir() throws IOException {
        dir = Files.createTempDirectory("berth-cli-version-");
    }

    @AfterEach
    void remove() throws IOException {
        Files.deleteIfExists(dir.resolve("d.sock"));
        Files.deleteIfExists(dir);
    }

    private int version(Path socket) {
        return Main.run(new String[] {"version"}, Map.of("BERTH_ADDRESS", socket.toString()),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void version_printsBothHalves() throws IOException, InterruptedException {
        try (AotTrainingDaemon daemon = AotTrainingDaemon.serve(dir.resolve("d.sock"))) {
            assertEquals(0, version(dir.resolve("d.sock")), err.toString(StandardCharsets.UTF_8));
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("Client:\n Version:      " + Main.CLIENT_VERSION), text);
        assertTrue(text.contains("\nServer:\n Version:      aot\n Revision:     training\n UUID:         a0a0"), text);
    }

    @Test
    void version_unreachableDaemon_exits125WithDockersMessage() {
        assertEquals(125, version(dir.resolve("absent.sock")));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Client:"));
        assertEquals("Cannot connect to the berth daemon at unix://" + dir.resolve("absent.sock")
                + ". Is berthd running?\n", err.toString(StandardCharsets.UTF_8));
    }
}
