package dev.berth.it.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.CliResult;
import dev.berth.it.support.CommandLine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The built {@code bin/berth} loads a verb's picocli model from its AOT cache: the build rewrites picocli's Java 5
 * class files as Java 8 ones (cli/src/build/RetargetOldClasses.java), which the cache can hold. No daemon needed:
 * {@code rm --help} builds the verb's whole model and prints its usage.
 */
class BerthCliAotCacheTest {
    private static final Path REPO = BerthCliFixture.REPO;
    private Path dir;

    @BeforeEach
    void dir() throws IOException {
        dir = Files.createTempDirectory(Path.of("/tmp"), "bcli-aot-");
    }

    @AfterEach
    void remove() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    void verbHelp_loadsPicocliFromTheAotCache() throws IOException {
        Path cli = REPO.resolve("cli/target");
        Path log = dir.resolve("classes.txt");
        // the cache's JVM with the flags it was recorded with (cli/pom.xml; bin/berth turns the JVM's logging off)
        List<String> java = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:AOTCache=" + cli.resolve("berth-cli.aot"), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-Xlog:class+load=info:file=" + log + ":none", "-cp", cli.resolve("berth-cli.jar") + ":" + cli
                        .resolve("lib") + "/*", "dev.berth.cli.Main", "rm", "--help");
        CliResult r = new CommandLine(dir).run(Duration.ofSeconds(60), java);

        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.stdout().contains("Usage: berth rm"), r.stdout());
        List<String> picocli = Files.readAllLines(log).stream().filter(l -> l.startsWith("picocli.")).toList();
        assertTrue(picocli.size() > 50, String.valueOf(picocli.size()));
        List<String> fromJar = picocli.stream().filter(l -> !l.contains("source: shared objects file")).toList();
        assertEquals(List.of(), fromJar, "picocli classes loaded from the jar, not from the AOT cache");
    }

    @Test
    void launcher_runsAVerbWithTheRewrittenPicocli() {
        CliResult r = new CommandLine(dir).run(Duration.ofSeconds(60),
                List.of(REPO.resolve("bin/berth").toString(), "rm", "--help"));

        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.stdout().contains("Usage: berth rm"), r.stdout());
    }
}
