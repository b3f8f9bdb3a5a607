package dev.berth.it.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.containerd.OciImageLayout;
import dev.berth.it.containerd.PrivateContainerd;
import dev.berth.it.support.Background;
import dev.berth.it.support.CgroupFs;
import dev.berth.it.support.CliResult;
import dev.berth.it.support.CommandLine;
import dev.berth.it.support.Wait;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * berth-shim's metrics and OOM events as real containerd 1.6 and {@code ctr} see them: {@code ctr tasks metrics}
 * (containerd unpacks the shim's Stats Any by its type URL) and {@code /tasks/oom} in {@code ctr events}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShimMetricsUnderContainerdTest {
    private static final String IMAGE = "docker.io/berth-it/busybox:latest";
    private static final long MIB = 1024 * 1024;

    private Path tmp;
    private Path shim;
    private PrivateContainerd containerd;
    private String namespace;
    private Path fifoDir;
    private final List<String> containers = new ArrayList<>();

    @BeforeAll
    void startContainerdAndImportImage() throws IOException {
        Path repo = Path.of(System.getProperty("berth.it.repo", "..")).toAbsolutePath().normalize();
        shim = repo.resolve("bin/berth-shim");
        tmp = Files.createTempDirectory(Path.of("/tmp"), "bshm-");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx--x--x"));
        CommandLine commandLine = new CommandLine(Files.createDirectories(tmp.resolve("calls")));
        fifoDir = Files.createDirectories(tmp.resolve("fifo"));
        namespace = "berth-it-" + random();
        containerd = PrivateContainerd.start(tmp, commandLine);
        Path image = tmp.resolve("busybox-oci.tar");
        OciImageLayout.writeBusybox(tmp, IMAGE, image);
        ctr("images", "import", image.toString()).assertSuccess();
    }

    @AfterAll
    void stopContainerdAndCleanUp() throws IOException {
        if (containerd != null) {
            for (String id : containers) {
                ctr("tasks", "kill", "--signal", "SIGKILL", id);
                ctr("tasks", "delete", "--force", id);
                ctr("containers", "delete", id);
            }
            containerd.close();
        }
        CgroupFs.removeLeftovers("/" + namespace);
        try (Stream<Path> walk = Files.walk(tmp)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Test
    void metrics_runningBusybox_printsMemoryAndPids() {
        String id = newId();
        run("-d", "--memory-limit", Long.toString(64 * MIB), IMAGE, id, "sleep", "300").assertSuccess();

        String table = ctr("tasks", "metrics", id).assertSuccess().stdout();
        assertTrue(table.contains(id), table);
        if (CgroupFs.isV2()) {
            assertTrue(table.contains("memory.usage"), table);
            assertTrue(row(table, "memory.usage_limit").equals(Long.toString(64 * MIB)), table);
        } else {
            assertTrue(Long.parseLong(row(table, "memory.usage_in_bytes")) > 0, table);
            assertEquals(Long.toString(64 * MIB), row(table, "memory.limit_in_bytes"), table);
        }
        assertEquals("1", row(table, "pids.current"), table);

        String json = ctr("tasks", "metrics", "--format", "json", id).assertSuccess().stdout();
        assertTrue(json.replaceAll("\\s", "").contains("\"pids\":{\"current\":1"), json);
        assertTrue(json.contains("\"memory\""), json);

        ctr("tasks", "kill", "--signal", "SIGKILL", id).assertSuccess();
        Wait.until("task " + id + " stopped", Duration.ofSeconds(20), () -> "STOPPED".equals(taskStatus(id)));
        ctr("tasks", "delete", id).assertSuccess();
        ctr("containers", "delete", id).assertSuccess();
        containers.remove(id);
    }

    /** The STATUS column of {@code ctr tasks ls} for one task (TASK PID STATUS). */
    private String taskStatus(String id) {
        String out = ctr("tasks", "ls").assertSuccess().stdout();
        return out.lines().map(l -> l.trim().split("\\s+")).filter(f -> f[0].equals(id)).map(f -> f[2]).findFirst()
                .orElse("absent");
    }

    /** The VALUE column of the {@code METRIC VALUE} table for one metric. */
    private static String row(String table, String metric) {
        return table.lines().map(l -> l.trim().split("\\s+")).filter(f -> f.length == 2 && f[0].equals(metric))
                .map(f -> f[1]).findFirst().orElse("absent");
    }

    @Test
    void run_overTheMemoryLimit_exits137AndPublishesTaskOom() {
        String id = newId();
        try (Background events = containerd.ctrInBackground("-n", namespace, "events")) {
            CliResult r = run("--rm", "--memory-limit", Long.toString(32 * MIB), IMAGE, id, "tail", "/dev/zero");
            assertEquals(137, r.exitCode(), r + "\ncontainerd log:\n" + containerd.log());
            Wait.until("/tasks/oom in ctr events", Duration.ofSeconds(10),
                    () -> events.stdout().lines().anyMatch(l -> l.contains("/tasks/oom") && l.contains(id)));
        }
        containers.remove(id);
    }

    private CliResult run(String... args) {
        List<String> argv = new ArrayList<>(List.of("run", "--runtime", shim.toString(), "--fifo-dir",
                fifoDir.toString()));
        argv.addAll(List.of(args));
        return ctr(argv.toArray(String[]::new));
    }

    private CliResult ctr(String... args) {
        List<String> argv = new ArrayList<>(List.of("-n", namespace));
        argv.addAll(List.of(args));
        return containerd.ctr(argv.toArray(String[]::new));
    }

    private String newId() {
        String id = "it-" + random();
        containers.add(id);
        return id;
    }

    private static String random() {
        byte[] r = new byte[4];
        ThreadLocalRandom.current().nextBytes(r);
        return HexFormat.of().formatHex(r);
    }
}
