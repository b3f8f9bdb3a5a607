package dev.berth.it.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.Bundle;
import dev.berth.it.support.CliResult;
import dev.berth.it.support.ContainerTest;
import dev.berth.it.support.HostMounts;
import dev.berth.it.support.RuncDeviation;
import dev.berth.it.support.Wait;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code hooks}: every kind runs once, in order, at its moment of the lifecycle, with the container's state on stdin.
 *
 * <p>Each hook appends "{@code <kind> <status from stdin>}" to a log. The host-side hooks write the host path; the
 * startContainer hook runs inside the container (after pivot_root) and writes the same directory through a bind
 * mount at {@code /hooklog}.
 */
class HooksTest extends ContainerTest {

    private Path logDir;
    private Path log;

    @BeforeEach
    void createLog() throws IOException {
        logDir = Files.createDirectories(tmp.resolve("hooklog"));
        log = logDir.resolve("log");
    }

    /** A hook that logs its kind and the status it was given; /bin/sed and /bin/cat exist on the host and in busybox. */
    private static String[] recorder(String kind, String logFile) {
        return new String[] {"sh", "-c", "state=$(/bin/cat); status=$(echo \"$state\" | "
                + "/bin/sed -n 's/.*\"status\": *\"\\([a-z]*\\)\".*/\\1/p'); echo \"" + kind + " $status\" >> "
                + logFile};
    }

    private Bundle bundleWithAllHooks() {
        Bundle b = newBundle().bindMount(logDir, "/hooklog").sh("echo process >> /hooklog/log");
        String host = log.toString();
        b.hook("prestart", "/bin/sh", recorder("prestart", host));
        b.hook("createRuntime", "/bin/sh", recorder("createRuntime", host));
        b.hook("createContainer", "/bin/sh", recorder("createContainer", host));
        b.hook("startContainer", "/bin/sh", recorder("startContainer", "/hooklog/log"));
        b.hook("poststart", "/bin/sh", recorder("poststart", host));
        b.hook("poststop", "/bin/sh", recorder("poststop", host));
        return b;
    }

    @Test
    void hooks_runInOrderAtTheirMoments() {
        Bundle b = bundleWithAllHooks();
        String id = newId();
        runtime.create(id, b).assertSuccess();
        // runtime-spec: prestart (deprecated) and createRuntime run in the runtime namespace during create,
        // createContainer in the container namespace, all before create returns.
        if (RuncDeviation.POSTSTART_RUNS_AT_CREATE.applies()) {
            assertEquals(List.of("prestart creating", "createRuntime creating", "createContainer creating",
                    "poststart created"), lines());
        } else {
            assertEquals(List.of("prestart creating", "createRuntime creating", "createContainer creating"), lines());
        }

        runtime.start(id).assertSuccess();
        // startContainer runs in the container right before the user process; poststart after it was started,
        // before start returns.
        Wait.until("the process ran", Duration.ofSeconds(10), () -> lines().contains("process"));
        if (RuncDeviation.POSTSTART_RUNS_AT_CREATE.applies()) {
            assertEquals(List.of("prestart creating", "createRuntime creating", "createContainer creating",
                    "poststart created", "startContainer created", "process"), lines());
        } else {
            assertEquals(List.of("prestart creating", "createRuntime creating", "createContainer creating",
                    "startContainer created", "process", "poststart running"), sortedProcessAndPoststart(lines()));
        }

        runtime.awaitStatus(id, "stopped", Duration.ofSeconds(10));
        assertFalse(lines().stream().anyMatch(l -> l.startsWith("poststop")), "poststop waits for delete");
        runtime.delete(id).assertSuccess();
        assertEquals("poststop stopped", lines().getLast(), "poststop runs during delete");
        assertEquals(7, lines().size(), "each hook exactly once: " + lines());
    }

    @Test
    void hooks_failingPrestart_createFailsAndLeavesNothing() {
        Bundle b = newBundle().args("true");
        b.hook("prestart", "/bin/sh", "sh", "-c", "echo hook failing on purpose >&2; exit 3");
        String id = newId();
        CliResult r = runtime.create(id, b).assertFailure();
        assertTrue(r.output().contains("prestart") || r.output().contains("hook"), r.toString());
        assertTrue(runtime.call("state", id).output().contains("does not exist"), "no container after a failed hook");
        assertFalse(Files.exists(runtime.root().resolve(id)), "no state dir");
        assertEquals(List.of(), HostMounts.under(b.dir()));
    }

    @Test
    void hooks_slowStartContainer_finishesBeforeStartReturnsAndBeforePoststart() {
        // under load the init's startContainer hook was overtaken by start's poststart: a slow hook makes it certain
        Bundle b = newBundle().bindMount(logDir, "/hooklog").args("true");
        b.hook("startContainer", "/bin/sh", "sh", "-c", "sleep 1; echo startContainer done >> /hooklog/log");
        b.hook("poststart", "/bin/sh", recorder("poststart", log.toString()));
        String id = newId();
        runtime.create(id, b).assertSuccess();
        List<String> atCreate = lines();

        runtime.start(id).assertSuccess();
        List<String> afterStart = lines().subList(atCreate.size(), lines().size());
        if (RuncDeviation.POSTSTART_RUNS_AT_CREATE.applies()) {
            // runc's start returns at the execve, after the hook; poststart ran during create
            assertEquals(List.of("startContainer done"), afterStart);
        } else {
            assertEquals(List.of("startContainer done", "poststart running"), afterStart);
        }
    }

    @Test
    void hooks_failingStartContainer_startFailsNamingTheHookAndTheContainerStops() {
        Bundle b = newBundle().bindMount(logDir, "/hooklog").sh("echo process >> /hooklog/log");
        b.hook("startContainer", "/bin/sh", "sh", "-c", "echo hook failing on purpose >&2; exit 3");
        b.hook("poststart", "/bin/sh", recorder("poststart", log.toString()));
        b.hook("poststop", "/bin/sh", recorder("poststop", log.toString()));
        String id = newId();
        runtime.create(id, b).assertSuccess();

        CliResult r = runtime.start(id);
        if (RuncDeviation.START_CONTAINER_HOOK_FAILURE_NOT_REPORTED.applies()) {
            r.assertSuccess();
        } else {
            // runtime-spec: the runtime must generate an error, stop the container and go on at poststop
            r.assertFailure();
            assertTrue(r.output().contains("start " + id + ": startContainer hook /bin/sh: exit status 3"),
                    r.toString());
        }
        runtime.awaitStatus(id, "stopped", Duration.ofSeconds(10));
        assertFalse(lines().contains("process"), "the user process never ran: " + lines());
        if (!RuncDeviation.POSTSTART_RUNS_AT_CREATE.applies()) {
            assertEquals(List.of(), lines(), "no poststart for a container whose start failed");
        }
        runtime.delete(id).assertSuccess();
        assertEquals("poststop stopped", lines().getLast(), "poststop runs during delete");
    }

    @Test
    void hooks_argsAndEnv_passedToHook() {
        Bundle b = newBundle().args("true");
        b.hook("createRuntime", "/bin/sh", "sh", "-c", "echo \"$0|$1|$HOOK_VAR\" > " + log, "first", "second");
        @SuppressWarnings("unchecked")
        var hook = (java.util.Map<String, Object>) ((List<Object>) ((java.util.Map<String, Object>) b.spec()
                .get("hooks")).get("createRuntime")).getFirst();
        hook.put("env", dev.berth.testsupport.Json.arr("HOOK_VAR=from-env"));
        runtime.run(newId(), b).assertSuccess();
        assertEquals(List.of("first|second|from-env"), lines());
    }

    /**
     * The process and poststart race: poststart runs on the host once the start was signalled, while the process
     * runs in the container. Both must come after startContainer; their relative order is free.
     */
    private static List<String> sortedProcessAndPoststart(List<String> lines) {
        List<String> copy = new java.util.ArrayList<>(lines);
        int p = copy.indexOf("process");
        int s = copy.indexOf("poststart running");
        if (p > s && s >= 0) {
            copy.set(s, "process");
            copy.set(p, "poststart running");
        }
        return copy;
    }

    private List<String> lines() {
        try {
            return Files.exists(log) ? Files.readAllLines(log) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
