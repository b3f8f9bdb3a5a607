package dev.berth.it.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.Bundle;
import dev.berth.it.support.CliResult;
import dev.berth.it.support.ContainerTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code delete} of a container that is only {@code created}, without {@code --force}. The runtime spec says delete
 * of a container that is not stopped MUST fail; berth-runtime deliberately follows runc and deletes it (killing its
 * waiting init), because containerd's shim deletes a created task with a plain {@code runc delete <id>}
 * (docs/runtime-conformance.md). Same expectation against both runtimes.
 */
class DeleteCreatedContainerTest extends ContainerTest {

    @Test
    void delete_createdWithoutForce_removesTheContainerAndItsInit() {
        String id = newId();
        Bundle b = newBundle().args("true");
        runtime.create(id, b).assertSuccess();
        long pid = ((Number) runtime.state(id).get("pid")).longValue();

        runtime.delete(id).assertSuccess();

        CliResult state = runtime.call("state", id);
        assertTrue(!state.succeeded() && state.output().contains("does not exist"), state.toString());
        assertTrue(!Files.exists(Path.of("/proc/" + pid + "/cmdline")) || zombie(pid), "init " + pid + " still runs");
    }

    @Test
    void delete_runningWithoutForce_isRefused() {
        String id = newId();
        runtime.createAndStart(id, newBundle().args("sleep", "30"));
        CliResult r = runtime.delete(id);
        assertTrue(!r.succeeded() && r.output().contains("running"), r.toString());
    }

    /** The init was the runtime's child, reparented to the test's subreaper: it may stay a zombie until reaped. */
    private static boolean zombie(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/stat")).replaceFirst("^.*\\) ", "").startsWith("Z");
        } catch (java.io.IOException e) {
            return true; // gone meanwhile
        }
    }
}
