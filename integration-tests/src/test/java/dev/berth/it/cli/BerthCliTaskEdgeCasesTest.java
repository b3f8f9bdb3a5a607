package dev.berth.it.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.Wait;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CLI over the task edge cases of issue 10: containers whose configurations together pass gRPC's 16 MiB
 * message limit (defect 5) and a container whose shim was killed (it has exited with 137, not "Created").
 */
class BerthCliTaskEdgeCasesTest extends BerthCliFixture {
    private static final int HUGE_ENV = 6 << 20;

    @Test
    void ps_containersWhoseConfigsTogetherPassGrpcsMessageLimit_areAllListed() throws IOException {
        // 3 × 6 MiB of environment: docker's summaries leave the environment out, so the list stays small, and
        // each container's own inspect document fits
        Path envFile = testDir.resolve("big.env");
        Files.writeString(envFile, "BIG=" + "x".repeat(HUGE_ENV) + "\n");
        List<String> names = List.of("huge-a", "huge-b", "huge-c");
        for (String name : names) {
            berth("create", "--name", name, "--env-file", envFile.toString(), busybox, "true").assertSuccess();
        }
        assertEquals(names, lines(berth("ps", "-a", "--format", "{{.Names}}").assertSuccess().stdout()).stream()
                .sorted().toList());
        String table = berth("ps", "-a").assertSuccess().stdout();
        assertEquals(4, lines(table).size(), table.length() > 2000 ? table.substring(0, 2000) : table);
        assertTrue(berth("info").assertSuccess().stdout().contains(" Containers: 3"));
        assertTrue(berth("inspect", "--format", "{{json .Config.Env}}", "huge-a").assertSuccess().stdout()
                .contains("\"BIG=xxx"));
        berth("rm", "huge-a", "huge-b", "huge-c").assertSuccess();
        assertEquals(List.of(), containerIds());
    }

    /**
     * The monitor is the container's parent (the shim server re-adopts containers from their monitors, so a
     * SIGKILLed server loses nothing): SIGKILL of it ends the container, and berthd reports the exit as docker's 137.
     */
    @Test
    void ps_containerWhoseMonitorWasKilled_showsExited137() throws IOException {
        berth("run", "-d", "--name", "shimless", busybox, "sleep", "1000").assertSuccess();
        long pid = Long.parseLong(berth("inspect", "--format", "{{.State.Pid}}", "shimless").assertSuccess().stdout()
                .strip());
        ProcessHandle monitor = ProcessHandle.of(pid).orElseThrow().parent().orElseThrow();
        assertEquals("berth-monitor", Files.readString(Path.of("/proc/" + monitor.pid() + "/comm")).strip());
        monitor.destroyForcibly();
        monitor.onExit().join();

        Wait.until("shimless shown as killed", Duration.ofSeconds(20),
                () -> berth("ps", "-a").stdout().contains("Exited (137)"));
        String ps = berth("ps", "-a").assertSuccess().stdout();
        assertTrue(ps.lines().anyMatch(l -> l.contains("shimless") && l.contains("Exited (137)")), ps);
        String inspect = berth("inspect", "shimless").assertSuccess().stdout().replaceAll("\\s", "");
        assertTrue(inspect.contains("\"Status\":\"exited\"") && inspect.contains("\"ExitCode\":137"), inspect);
        berth("rm", "shimless").assertSuccess();
    }
}
