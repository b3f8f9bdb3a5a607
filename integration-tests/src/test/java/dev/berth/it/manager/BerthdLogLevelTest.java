package dev.berth.it.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.Background;
import dev.berth.it.support.CliResult;
import dev.berth.it.support.CommandLine;
import dev.berth.it.support.Wait;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * berthd's log level reaches its logger from the command line and from the config file, through the launcher
 * bin/berthd: records below the level are not written, and an unknown level is a usage error, not a crash.
 */
class BerthdLogLevelTest {
    private static final Path REPO = Path.of(System.getProperty("berth.it.repo", "..")).toAbsolutePath().normalize();

    private Path dir;
    private CommandLine commandLine;

    @BeforeEach
    void createDir() throws IOException {
        dir = Files.createTempDirectory(Path.of("/tmp"), "bll-");
        commandLine = new CommandLine(Files.createDirectories(dir.resolve("calls")));
    }

    @AfterEach
    void removeDir() throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Test
    void logLevelFlag_warn_writesNoInfoRecords() throws IOException {
        String log = serveThenStop(List.of("--log-level", "warn"), "");

        assertFalse(log.contains("level=info"), log);
        assertFalse(log.contains("level=debug"), log);
    }

    @Test
    void configDebugLevel_info_writesInfoRecordsAsLogfmt() throws IOException {
        Path config = dir.resolve("berthd.toml");
        Files.writeString(config, "[debug]\n  level = \"info\"\n");

        String log = serveThenStop(List.of("--config", config.toString()), " msg=serving ");

        assertTrue(log.lines().anyMatch(l -> l.startsWith("time=") && l.contains(" level=info msg=serving ")
                && l.endsWith(" logger=Berthd")), log);
        assertFalse(log.contains("level=debug"), log);
    }

    @Test
    void logLevelFlag_unknown_isAUsageErrorNamingIt() {
        CliResult r = commandLine.run(Duration.ofSeconds(60), argv(List.of("--log-level", "loud")));

        assertEquals(2, r.exitCode(), r.toString());
        assertEquals("berthd: config: parse log level \"loud\": want debug, info, warn or error",
                r.stderr().strip(), r.toString());
    }

    private List<String> argv(List<String> extra) {
        List<String> argv = new ArrayList<>(List.of(REPO.resolve("bin/berthd").toString(),
                "--root", dir.resolve("root").toString(), "--state", dir.resolve("state").toString(),
                "--address", dir.resolve("berthd.sock").toString()));
        argv.addAll(extra);
        return argv;
    }

    /**
     * Starts berthd, waits until it serves and has written {@code logged} (its socket accepts before the Docker API
     * is up and "serving" is logged), stops it with SIGTERM and returns what it wrote to stderr.
     */
    private String serveThenStop(List<String> extra, String logged) {
        Path socket = dir.resolve("berthd.sock");
        try (Background daemon = commandLine.start(argv(extra), Map.of(), null)) {
            Wait.until("berthd serving on " + socket, Duration.ofSeconds(30),
                    () -> !daemon.isAlive() || accepts(socket) && daemon.stderr().contains(logged));
            assertTrue(daemon.isAlive(), "berthd exited: " + daemon.stderr());
            daemon.process().destroy();
            return daemon.await(Duration.ofSeconds(20)).stderr();
        }
    }

    private static boolean accepts(Path socket) {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            return ch.isConnected();
        } catch (IOException e) {
            return false;
        }
    }
}
