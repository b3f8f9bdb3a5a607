package dev.berth.it.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code berth-shim … start} when the serving shim cannot serve: start, which runs no JVM itself, prints the
 * serving shim's reason as its error (containerd shows start's output) and fails.
 */
class ShimStartVerbTest {
    private Path tmp;

    @BeforeEach
    void createTmp() throws IOException {
        tmp = Files.createTempDirectory(Path.of("/tmp"), "bss-");
    }

    @AfterEach
    void removeTmp() throws IOException {
        try (Stream<Path> walk = Files.walk(tmp)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Test
    void start_specThatIsNotJson_failsWithTheReasonOfTheServingShim() throws Exception {
        Path bundle = Files.createDirectories(tmp.resolve("bundle"));
        Files.writeString(bundle.resolve("config.json"), "{\"annotations\": ");
        Path repo = Path.of(System.getProperty("berth.it.repo", "..")).toAbsolutePath().normalize();
        Process start = new ProcessBuilder(repo.resolve("bin/berth-shim").toString(), "-namespace", "berth-it",
                "-address", tmp.resolve("containerd.sock").toString(), "-publish-binary", "/bin/true", "-id", "bad",
                "start").directory(bundle.toFile()).redirectErrorStream(true).start();
        start.getOutputStream().close();
        String out = new String(start.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(start.waitFor(30, TimeUnit.SECONDS));

        assertEquals(1, start.exitValue(), out);
        assertTrue(out.startsWith("berth-shim start: start bad: read group of " + bundle.resolve("config.json")),
                out);
        assertFalse(Files.exists(bundle.resolve("address")), "no address for a shim that does not serve");
    }
}
