package dev.berth.it.shim;

import static dev.berth.it.shim.ContainerdFixture.IMAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.CliResult;
import dev.berth.it.support.Wait;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * berth-shim under real containerd 1.6, selected by absolute path with {@code ctr run --runtime}: containerd runs
 * the shim's {@code start}, talks ttrpc to it, receives its events, and the shim drives berth-runtime in-process.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShimUnderContainerdTest {
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
    void runRm_echo_printsOutputAndLeavesNothing() {
        String id = containerd.newId();
        CliResult r = containerd.run("--rm", IMAGE, id, "echo", "hi");
        assertEquals(0, r.exitCode(), r + "\ncontainerd log:\n" + containerd.log());
        assertEquals("hi\n", r.stdout());
        containerd.assertNothingLeft(id);
    }

    @Test
    void runRm_exitCode_isPropagated() {
        String id = containerd.newId();
        CliResult r = containerd.run("--rm", IMAGE, id, "sh", "-c", "exit 42");
        assertEquals(42, r.exitCode(), r + "\ncontainerd log:\n" + containerd.log());
        containerd.assertNothingLeft(id);
    }

    @Test
    void detachedTask_execPsPauseResumeKillDelete() {
        String id = containerd.newId();
        containerd.run("-d", IMAGE, id, "sleep", "300").assertSuccess();
        assertEquals("RUNNING", containerd.taskStatus(id));
        assertEquals(1, containerd.shimProcesses().size(), "one shim serves the task");

        CliResult exec = containerd.exec(id, "probe", "sh", "-c", "echo in-exec; exit 3");
        assertEquals(3, exec.exitCode(), exec.toString());
        assertEquals("in-exec\n", exec.stdout());

        String ps = containerd.ctr("tasks", "ps", id).assertSuccess().stdout();
        assertTrue(ps.lines().count() >= 2, "a header and the init: " + ps);

        containerd.ctr("tasks", "pause", id).assertSuccess();
        assertEquals("PAUSED", containerd.taskStatus(id));
        containerd.ctr("tasks", "resume", id).assertSuccess();
        assertEquals("RUNNING", containerd.taskStatus(id));

        containerd.ctr("tasks", "kill", "--signal", "SIGKILL", id).assertSuccess();
        Wait.until("task " + id + " stopped", Duration.ofSeconds(20),
                () -> "STOPPED".equals(containerd.taskStatus(id)));
        containerd.ctr("tasks", "delete", id).assertSuccess();
        assertTrue(!containerd.ctr("tasks", "ls").stdout().contains(id), "task gone");
        containerd.ctr("containers", "delete", id).assertSuccess();
        containerd.assertNothingLeft(id);
    }
}
