package dev.berth.it.shim;

import static dev.berth.it.shim.ContainerdFixture.IMAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.Background;
import dev.berth.it.support.CgroupFs;
import dev.berth.it.support.CliResult;
import dev.berth.it.support.Wait;
import java.io.IOException;
import java.time.Duration;
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
    private static final long MIB = 1024 * 1024;

    private ContainerdFixture containerd;

    @BeforeAll
    void startContainerdAndImportImage() throws IOException {
        containerd = ContainerdFixture.start();
    }

    @AfterAll
    void stopContainerdAndCleanUp() throws IOException {
        if (containerd != null) {
            containerd.close();
        }
    }

    @Test
    void metrics_runningBusybox_printsMemoryAndPids() {
        String id = containerd.newId();
        containerd.run("-d", "--memory-limit", Long.toString(64 * MIB), IMAGE, id, "sleep", "300").assertSuccess();

        String table = containerd.ctr("tasks", "metrics", id).assertSuccess().stdout();
        assertTrue(table.contains(id), table);
        if (CgroupFs.isV2()) {
            assertTrue(table.contains("memory.usage"), table);
            assertTrue(row(table, "memory.usage_limit").equals(Long.toString(64 * MIB)), table);
        } else {
            assertTrue(Long.parseLong(row(table, "memory.usage_in_bytes")) > 0, table);
            assertEquals(Long.toString(64 * MIB), row(table, "memory.limit_in_bytes"), table);
        }
        assertEquals("1", row(table, "pids.current"), table);

        String json = containerd.ctr("tasks", "metrics", "--format", "json", id).assertSuccess().stdout();
        assertTrue(json.replaceAll("\\s", "").contains("\"pids\":{\"current\":1"), json);
        assertTrue(json.contains("\"memory\""), json);

        containerd.ctr("tasks", "kill", "--signal", "SIGKILL", id).assertSuccess();
        Wait.until("task " + id + " stopped", Duration.ofSeconds(20),
                () -> "STOPPED".equals(containerd.taskStatus(id)));
        containerd.ctr("tasks", "delete", id).assertSuccess();
        containerd.ctr("containers", "delete", id).assertSuccess();
        containerd.assertNothingLeft(id);
    }

    /** The VALUE column of the {@code METRIC VALUE} table for one metric. */
    private static String row(String table, String metric) {
        return table.lines().map(l -> l.trim().split("\\s+")).filter(f -> f.length == 2 && f[0].equals(metric))
                .map(f -> f[1]).findFirst().orElse("absent");
    }

    @Test
    void run_overTheMemoryLimit_exits137AndPublishesTaskOom() {
        String id = containerd.newId();
        try (Background events = containerd.ctrInBackground("events")) {
            CliResult r = containerd.run("--rm", "--memory-limit", Long.toString(32 * MIB), IMAGE, id, "tail",
                    "/dev/zero");
            assertEquals(137, r.exitCode(), r + "\ncontainerd log:\n" + containerd.log());
            Wait.until("/tasks/oom in ctr events", Duration.ofSeconds(10),
                    () -> events.stdout().lines().anyMatch(l -> l.contains("/tasks/oom") && l.contains(id)));
        }
        containerd.assertNothingLeft(id);
    }
}
