package dev.berth.it.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.Background;
import dev.berth.it.support.Bundle;
import dev.berth.it.support.CgroupFs;
import dev.berth.it.support.CliResult;
import dev.berth.it.support.ContainerTest;
import dev.berth.it.support.Wait;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code kill} and exit codes: signals reach the container's processes; {@code run} reports 128+signal. */
class KillTest extends ContainerTest {

    @Test
    void kill_sigterm_runReturns143() {
        // Without a PID namespace sleep is not an init, so SIGTERM's default action (terminate) applies.
        Bundle b = newBundle().withoutNamespace("pid").args("sleep", "30");
        String id = newId();
        Background run = runtime.spawnRun(id, b);
        runtime.awaitStatus(id, "running", Duration.ofSeconds(10));
        runtime.kill(id, "TERM").assertSuccess();
        assertEquals(143, run.await(Duration.ofSeconds(10)).exitCode());
    }

    @Test
    void kill_sigkill_runReturns137() {
        String id = newId();
        Background run = runtime.spawnRun(id, newBundle().args("sleep", "30"));
        runtime.awaitStatus(id, "running", Duration.ofSeconds(10));
        runtime.kill(id, "9").assertSuccess();
        assertEquals(137, run.await(Duration.ofSeconds(10)).exitCode());
    }

    @Test
    void kill_sigtermToInitWithHandler_isDelivered() {
        // PID 1 of a PID namespace only gets signals it handles; sh's trap is such a handler.
        String id = newId();
        Bundle b = newBundle().rootReadonly(false).sh("trap 'echo got TERM; exit 3' TERM; touch /tmp/trapped; "
                + "while true; do sleep 0.05; done");
        Background run = runtime.spawnRun(id, b);
        // A TERM sent before the trap exists would be dropped (PID 1 without a handler): wait for the marker.
        Wait.until("the trap is installed", Duration.ofSeconds(10),
                () -> java.nio.file.Files.exists(b.rootfs().resolve("tmp/trapped")));
        runtime.kill(id, "SIGTERM").assertSuccess();
        CliResult r = run.await(Duration.ofSeconds(10));
        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(r.stdout().contains("got TERM"), r.toString());
    }

    @Test
    void killAll_killsEveryProcessOfTheContainer() {
        Bundle b = newBundle().sh("sleep 30 & sleep 30 & sleep 30");
        String id = newId();
        runtime.createAndStart(id, b);
        runtime.execWith(List.of("--detach"), id, "sleep", "30").assertSuccess();
        Wait.until("4 processes", Duration.ofSeconds(10), () -> processCount(b) == 4);
        runtime.call("kill", "--all", id, "KILL").assertSuccess();
        runtime.awaitStatus(id, "stopped", Duration.ofSeconds(10));
        Wait.until("no process left in the cgroup", Duration.ofSeconds(10), () -> processCount(b) == 0);
    }

    @Test
    void kill_ofStoppedContainer_fails() {
        String id = newId();
        runtime.createAndStart(id, newBundle().args("true"));
        runtime.awaitStatus(id, "stopped", Duration.ofSeconds(10));
        CliResult r = runtime.kill(id, "KILL").assertFailure();
        assertTrue(r.output().contains("not running"), r.toString());
    }

    @Test
    void kill_invalidSignal_fails() {
        String id = newId();
        runtime.createAndStart(id, newBundle().args("sleep", "30"));
        CliResult r = runtime.kill(id, "SIGNOPE").assertFailure();
        assertTrue(r.output().toLowerCase().contains("signal"), r.toString());
        assertEquals("running", runtime.status(id));
    }

    private static int processCount(Bundle b) {
        return CgroupFs.procsFile(b.cgroupsPath()).map(CgroupFs::read)
                .map(s -> s.isEmpty() ? 0 : s.split("\n").length).orElse(0);
    }
}
