package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a CLI process loads, seen from a real JVM ({@code -Xlog:class+load}): {@code --help} and a plain
 * {@code version} load no picocli, Jackson or Netty, and the exit does not look up the JDK's System.Logger (whose
 * service lookup opens every jar of the class path).
 */
@Timeout(60)
class StartupTest {
    private Path dir;

    @BeforeEach
    void dir() throws IOException {
        dir = Files.createTempDirectory("berth-cli-startup-");
    }

    @AfterEach
    void remove() throws IOException {
        Files.deleteIfExists(dir.resolve("d.sock"));
        Files.deleteIfExists(dir);
    }

    @Test
    void help_loadsNoLibraryAndNoLogger() throws Exception {
        List<String> classes = run("--help");

        assertTrue(classes.contains("dev.berth.cli.Main"), String.valueOf(classes.size()));
        assertNone(classes, "picocli.", "io.grpc.", "io.netty.", "com.fasterxml.", "com.google.protobuf.",
                "jdk.internal.logger.", "java.util.ServiceLoader$LazyClassPathLookupIterator");
    }

    @Test
    void version_loadsNoNettyPicocliOrJackson_andNoLogger() throws Exception {
        List<String> classes;
        try (AotTrainingDaemon daemon = AotTrainingDaemon.serve(dir.resolve("d.sock"))) {
            classes = run("--address", dir.resolve("d.sock").toString(), "version");
        }

        assertTrue(classes.contains("dev.berth.client.transport.UnixChannel"), String.valueOf(classes.size()));
        // grpc-api's own java.util.logging loggers set up the JDK's logging; the exit adds no System.Logger to it
        assertNone(classes, "picocli.", "io.netty.", "com.fasterxml.", "jdk.internal.logger.LazyLoggers");
    }

    /** {@code berth args} in a JVM of its own; answers the classes it loaded, in order. */
    private List<String> run(String... args) throws IOException, InterruptedException {
        Path log = dir.resolve("classes.txt");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xshare:off", "-Xlog:disable", "-Xlog:class+load=info:file=" + log + ":none",
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output);
        try {
            // "<name> source: <where>", one line a class
            return Files.readAllLines(log).stream().map(l -> l.split(" ", 2)[0]).toList();
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static void assertNone(List<String> classes, String... prefixes) {
        for (String prefix : prefixes) {
            List<String> loaded = classes.stream().filter(c -> c.startsWith(prefix)).toList();
            assertTrue(loaded.isEmpty(), prefix + " loaded: " + loaded);
        }
    }
}
