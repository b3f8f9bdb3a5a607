package dev.berth.it.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.Bundle;
import dev.berth.it.support.CgroupFs;
import dev.berth.it.support.CliResult;
import dev.berth.it.support.ContainerTest;
import dev.berth.it.support.HostMounts;
import dev.berth.it.support.HostProcesses;
import dev.berth.it.support.RuncDeviation;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bad input: every refusal exits non-zero with a message naming what failed (callers such as containerd match
 * "does not exist", "already exists", "not running"), and leaves nothing behind: no state, cgroup, process or mount.
 */
class BadInputTest extends ContainerTest {

    @Test
    void create_malformedConfig_failsAndLeavesNothing() throws Exception {
        Bundle b = newBundle().args("true");
        String id = newId();
        runtime.track(id);
        Files.writeString(b.configFile(), "{ not json");
        CliResult r = runtime.call("create", "--bundle", b.dir().toString(), id).assertFailure();
        if (!RuncDeviation.MALFORMED_CONFIG_MESSAGE_OMITS_FILE.applies()) {
            assertTrue(r.output().contains("config.json"), "names the file: " + r);
        }
        assertTrue(r.output().contains("invalid") || r.output().contains("parse") || r.output().contains("json"),
                r.toString());
        assertNothingLeftBehind(id, b);
    }

    @Test
    void create_missingConfig_fails() {
        Bundle b = newBundle();
        String id = newId();
        runtime.track(id);
        CliResult r = runtime.call("create", "--bundle", b.dir().toString(), id).assertFailure();
        assertTrue(r.output().contains("config.json"), r.toString());
        assertNothingLeftBehind(id, b);
    }

    @Test
    void create_missingRootfs_failsAndLeavesNothing() throws Exception {
        Bundle b = newBundle().args("true").writeConfig();
        Files.move(b.rootfs(), b.dir().resolve("elsewhere"));
        String id = newId();
        runtime.track(id);
        CliResult r = runtime.call("create", "--bundle", b.dir().toString(), id).assertFailure();
        assertTrue(r.output().contains("rootfs") && r.output().contains("no such file"), r.toString());
        assertNothingLeftBehind(id, b);
    }

    @Test
    void create_unknownNamespaceType_failsAndLeavesNothing() {
        Bundle b = newBundle().args("true").namespace("bogus", null);
        String id = newId();
        CliResult r = runtime.create(id, b).assertFailure();
        assertTrue(r.output().contains("bogus"), "names the namespace type: " + r);
        assertNothingLeftBehind(id, b);
    }

    @Test
    void create_impossibleMount_failsAndLeavesNothing() {
        Bundle b = newBundle().args("true").mount("/impossible", "nosuchfs", "none");
        String id = newId();
        CliResult r = runtime.create(id, b).assertFailure();
        assertTrue(r.output().contains("/impossible"), "names the mount: " + r);
        assertNothingLeftBehind(id, b);
    }

    @Test
    void create_missingExecutable_failsAtCreateOrStart() {
        // runc resolves args[0] in the container before create returns: a missing binary is a create error.
        Bundle b = newBundle().args("/no/such/binary");
        String id = newId();
        CliResult r = runtime.create(id, b);
        if (r.succeeded()) {
            r = runtime.start(id).assertFailure();
        }
        assertTrue(r.output().contains("/no/such/binary"), r.toString());
        runtime.call("delete", "--force", id);
        assertNothingLeftBehind(id, b);
    }

    @Test
    void create_duplicateId_failsAndKeepsTheFirst() {
        String id = newId();
        Bundle first = newBundle().args("sleep", "30");
        runtime.create(id, first).assertSuccess();
        long pid = ((Number) runtime.state(id).get("pid")).longValue();
        Bundle second = newBundle().args("sleep", "30");
        CliResult r = runtime.create(id, second).assertFailure();
        assertTrue(r.output().contains("already exists"), r.toString());
        assertEquals("created", runtime.status(id));
        assertEquals(pid, ((Number) runtime.state(id).get("pid")).longValue(), "the first container is untouched");
        assertEquals(first.dir().toString(), runtime.state(id).get("bundle"));
        assertEquals(List.of(), CgroupFs.existingDirs(second.cgroupsPath()), "no cgroup for the refused one");
    }

    @Test
    void unknownId_stateStartKillDeleteExecPauseFail() {
        String id = "it-never-created";
        for (List<String> argv : List.of(List.of("state", id), List.of("start", id), List.of("kill", id, "KILL"),
                List.of("delete", id), List.of("exec", id, "true"), List.of("pause", id), List.of("resume", id),
                List.of("ps", id), List.of("events", "--stats", id))) {
            CliResult r = runtime.call(argv.toArray(String[]::new)).assertFailure();
            assertTrue(r.output().contains("does not exist"), argv + ": " + r);
            if (!RuncDeviation.UNKNOWN_ID_MESSAGE_OMITS_ID.applies()) {
                assertTrue(r.output().contains(id), "names the id: " + argv + ": " + r);
            }
        }
    }

    @Test
    void deleteForce_unknownId_succeeds() {
        // delete --force is idempotent: containerd's shim relies on it when cleaning up after a crash.
        runtime.call("delete", "--force", "it-never-created").assertSuccess();
    }

    @Test
    void invalidId_isRefusedAndCreatesNothingOutsideRoot() throws Exception {
        for (String id : List.of("../x", "a/b", "..", "")) {
            Bundle b = newBundle().args("true").writeConfig();
            // Not through runtime.create: an invalid id must not be tracked for the force-delete at clean-up.
            CliResult r = runtime.call("create", "--bundle", b.dir().toString(), id).assertFailure();
            assertTrue(r.output().toLowerCase().contains("invalid") || r.output().toLowerCase().contains("id"),
                    "'" + id + "': " + r);
            assertNothingLeftBehind(id, b);
        }
        // Nothing was written beside the private root (../x would resolve to tmp/x).
        assertFalse(Files.exists(tmp.resolve("x")));
        try (var entries = Files.list(runtime.root())) {
            assertEquals(List.of(), entries.toList(), "the state root stays empty");
        }
    }

    @Test
    void start_ofStoppedContainer_failsNamingStatus() {
        String id = newId();
        runtime.createAndStart(id, newBundle().args("true"));
        runtime.awaitStatus(id, "stopped", Duration.ofSeconds(10));
        CliResult r = runtime.start(id).assertFailure();
        assertTrue(r.output().contains("stopped"), r.toString());
    }

    @Test
    void kill_ofStoppedContainer_failsNotRunning() {
        String id = newId();
        runtime.createAndStart(id, newBundle().args("true"));
        runtime.awaitStatus(id, "stopped", Duration.ofSeconds(10));
        CliResult r = runtime.kill(id, "KILL").assertFailure();
        assertTrue(r.output().contains("not running"), r.toString());
    }

    @Test
    void create_bundleDirectoryMissing_fails() {
        String id = newId();
        runtime.track(id);
        CliResult r = runtime.call("create", "--bundle", tmp.resolve("no-such-bundle").toString(), id)
                .assertFailure();
        assertTrue(r.output().contains("no-such-bundle") || r.output().contains("config.json"), r.toString());
        assertFalse(Files.exists(runtime.root().resolve(id)));
    }

    private void assertNothingLeftBehind(String id, Bundle b) {
        if (!id.isEmpty() && !id.contains("/") && !id.equals("..")) {
            assertFalse(Files.exists(runtime.root().resolve(id)), "no state dir for " + id);
        }
        dev.berth.it.support.Wait.until("no cgroup for " + b.cgroupsPath(), Duration.ofSeconds(2),
                () -> CgroupFs.existingDirs(b.cgroupsPath()).isEmpty());
        assertEquals(List.of(), HostProcesses.related(b.rootfs(), b.dir().toString()), "no process left");
        assertEquals(List.of(), HostMounts.under(b.dir()), "no mount left");
    }
}
