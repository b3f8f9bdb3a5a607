package dev.berth.it.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.Bundle;
import dev.berth.it.support.CliResult;
import dev.berth.it.support.ContainerTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The runtime spec's lifecycle: create, start, state, kill, delete, and runc's run. */
class LifecycleTest extends ContainerTest {

    @Test
    void createStartState_statusGoesCreatedRunningStopped() {
        // The process waits for a file the test creates, so the test decides when it stops.
        Bundle b = newBundle().rootReadonly(false).sh("while [ ! -e /tmp/go ]; do sleep 0.05; done");
        String id = newId();
        runtime.create(id, b).assertSuccess();

        Map<String, Object> created = runtime.state(id);
        assertEquals("created", created.get("status"));
        assertEquals(id, created.get("id"));
        assertTrue(((Number) created.get("pid")).longValue() > 0, "pid of the waiting init: " + created);
        assertEquals(b.dir().toString(), created.get("bundle"));
        assertTrue(((String) created.get("ociVersion")).startsWith("1."), "ociVersion: " + created);
        // Before start the user process has not run: the init waits, so nothing it would do has happened.
        assertTrue(Files.exists(Path.of("/proc/" + created.get("pid"))), "init process exists while created");

        runtime.start(id).assertSuccess();
        assertEquals("running", runtime.status(id));
        assertEquals(created.get("pid"), runtime.state(id).get("pid"), "start keeps the init's pid");

        touch(b.rootfs().resolve("tmp/go"));
        runtime.awaitStatus(id, "stopped", Duration.ofSeconds(10));
        runtime.delete(id).assertSuccess();
        CliResult gone = runtime.call("state", id).assertFailure();
        assertTrue(gone.output().contains("does not exist"), gone.toString());
        assertFalse(Files.exists(runtime.root().resolve(id)), "state dir removed by delete");
    }

    @Test
    void start_beforeUserProcessRuns_processHasNotRunYet() {
        Bundle b = newBundle().rootReadonly(false).sh("touch /tmp/ran");
        String id = newId();
        runtime.create(id, b).assertSuccess();
        assertFalse(Files.exists(b.rootfs().resolve("tmp/ran")), "user process ran before start");
        runtime.start(id).assertSuccess();
        dev.berth.it.support.Wait.until("user process ran", Duration.ofSeconds(10),
                () -> Files.exists(b.rootfs().resolve("tmp/ran")));
    }

    @Test
    void start_twice_secondFails() {
        Bundle b = newBundle().args("sleep", "30");
        String id = newId();
        runtime.createAndStart(id, b);
        CliResult again = runtime.start(id).assertFailure();
        assertTrue(again.output().contains("running") || again.output().contains("created"), again.toString());
    }

    @Test
    void kill_withSignalNumber_stopsContainer() {
        String id = newId();
        runtime.createAndStart(id, newBundle().args("sleep", "30"));
        runtime.kill(id, "9").assertSuccess();
        runtime.awaitStatus(id, "stopped", Duration.ofSeconds(10));
    }

    @Test
    void kill_withSignalNames_bothSpellingsAccepted() {
        String a = newId();
        runtime.createAndStart(a, newBundle().args("sleep", "30"));
        runtime.kill(a, "KILL").assertSuccess();
        runtime.awaitStatus(a, "stopped", Duration.ofSeconds(10));

        String b = newId();
        runtime.createAndStart(b, newBundle().args("sleep", "30"));
        runtime.kill(b, "SIGKILL").assertSuccess();
        runtime.awaitStatus(b, "stopped", Duration.ofSeconds(10));
    }

    @Test
    void kill_ofCreatedContainer_stopsIt() {
        String id = newId();
        runtime.create(id, newBundle().args("sleep", "30")).assertSuccess();
        runtime.kill(id, "KILL").assertSuccess();
        runtime.awaitStatus(id, "stopped", Duration.ofSeconds(10));
        runtime.delete(id).assertSuccess();
    }

    @Test
    void delete_ofRunningContainer_failsWithoutForce() {
        String id = newId();
        runtime.createAndStart(id, newBundle().args("sleep", "30"));
        CliResult r = runtime.delete(id).assertFailure();
        assertTrue(r.output().contains("running"), "names the status: " + r);
        assertEquals("running", runtime.status(id), "still running after a refused delete");
    }

    @Test
    void deleteForce_ofRunningContainer_killsAndRemovesIt() {
        String id = newId();
        Bundle b = newBundle().args("sleep", "30");
        runtime.createAndStart(id, b);
        long pid = ((Number) runtime.state(id).get("pid")).longValue();
        runtime.call("delete", "--force", id).assertSuccess();
        assertTrue(runtime.call("state", id).output().contains("does not exist"));
        dev.berth.it.support.Wait.until("init " + pid + " gone", Duration.ofSeconds(10),
                () -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
        assertFalse(Files.exists(runtime.root().resolve(id)), "state dir removed");
    }

    @Test
    void run_foreground_printsOutputAndReturnsExitCode() {
        CliResult r = runtime.run(newId(), newBundle().sh("echo hello from the container; exit 7"));
        assertEquals(7, r.exitCode(), r.toString());
        assertTrue(r.stdout().contains("hello from the container"), r.toString());
    }

    @Test
    void run_foreground_successIsZero() {
        CliResult r = runtime.run(newId(), newBundle().args("true"));
        assertEquals(0, r.exitCode(), r.toString());
    }

    @Test
    void run_detach_returnsWhileContainerRuns() {
        String id = newId();
        runtime.run(id, newBundle().args("sleep", "30"), "--detach").assertSuccess();
        assertEquals("running", runtime.status(id));
    }

    private static void touch(Path p) {
        try {
            Files.createFile(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
