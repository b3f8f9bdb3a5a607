package dev.berth.it.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.it.support.CliResult;
import dev.berth.it.support.Wait;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * berth-shim outlives containerd: after a SIGKILL of containerd and a restart on the same root, state and
 * sockets, containerd finds the shim through {@code <bundle>/address} and the task is still there and usable.
 */
class ShimContainerdRestartTest {
    private ContainerdFixture f;

    @BeforeEach
    void startContainerd() throws Exception {
        f = ContainerdFixture.start();
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void killContainerd_taskKeepsRunning_execKillDeleteWorkAfterRestart() throws Exception {
        String id = f.newId();
        f.run("-d", ContainerdFixture.IMAGE, id, "sleep", "300").assertSuccess();
        assertEquals("RUNNING", f.taskStatus(id));
        List<Long> shims = f.shimProcesses();
        assertEquals(1, shims.size(), "one shim serves the task");

        f.killContainerd();
        assertEquals(shims, f.shimProcesses(), "the shim outlives containerd");
        f.restartContainerd();

        assertEquals("RUNNING", f.taskStatus(id), "containerd log:\n" + f.log());
        CliResult exec = f.exec(id, "after-restart", "sh", "-c", "echo still-here; exit 5");
        assertEquals(5, exec.exitCode(), exec + "\ncontainerd log:\n" + f.log());
        assertEquals("still-here\n", exec.stdout());
        assertEquals(shims, f.shimProcesses(), "the same shim serves the task");

        f.ctr("tasks", "kill", "--signal", "SIGKILL", id).assertSuccess();
        Wait.until("task " + id + " stopped", Duration.ofSeconds(20), () -> "STOPPED".equals(f.taskStatus(id)));
        f.ctr("tasks", "delete", id).assertSuccess();
        f.ctr("containers", "delete", id).assertSuccess();
        f.forget(id);
        Wait.until("shim exited", Duration.ofSeconds(20), () -> f.shimProcesses().isEmpty());
    }
}
