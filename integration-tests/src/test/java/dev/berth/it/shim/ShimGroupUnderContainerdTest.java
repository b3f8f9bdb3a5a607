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
 * containerd's shim grouping: containers whose spec carries the annotation {@code io.containerd.runc.v2.group}
 * (or {@code io.kubernetes.cri.sandbox-id}) share one berth-shim server, and so do the tasks of a namespace without
 * one; a server exits only after its idle period without a task.
 */
class ShimGroupUnderContainerdTest {
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
    void runTwo_sameGroupAnnotation_shareOneShimUntilBothAreDeleted() {
        String group = "g-" + ContainerdFixture.random();
        String first = f.newId();
        String second = f.newId();
        f.run("-d", "--annotation", "io.containerd.runc.v2.group=" + group, ContainerdFixture.IMAGE, first,
                "sleep", "300").assertSuccess();
        f.run("-d", "--annotation", "io.kubernetes.cri.sandbox-id=" + group, ContainerdFixture.IMAGE, second,
                "sleep", "300").assertSuccess();
        assertEquals("RUNNING", f.taskStatus(first));
        assertEquals("RUNNING", f.taskStatus(second));
        List<Long> shims = f.shimProcesses();
        assertEquals(1, shims.size(), "one shim serves the group: " + shims);

        for (String id : List.of(first, second)) {
            CliResult exec = f.exec(id, "probe", "sh", "-c", "echo in-" + id);
            assertEquals(0, exec.exitCode(), exec + "\ncontainerd log:\n" + f.log());
            assertEquals("in-" + id + "\n", exec.stdout());
        }

        stopAndDelete(first);
        assertEquals("RUNNING", f.taskStatus(second));
        assertEquals(shims, f.shimProcesses(), "the shim keeps serving the group's other task");
        CliResult exec = f.exec(second, "probe2", "sh", "-c", "echo alone");
        assertEquals("alone\n", exec.assertSuccess().stdout());

        stopAndDelete(second);
        Wait.until("group shim exited", Duration.ofSeconds(20), () -> f.shimProcesses().isEmpty());
    }

    @Test
    void runTwo_noGroup_shareTheNamespacesServer() {
        String first = f.newId();
        String second = f.newId();
        f.run("-d", ContainerdFixture.IMAGE, first, "sleep", "300").assertSuccess();
        f.run("-d", ContainerdFixture.IMAGE, second, "sleep", "300").assertSuccess();
        assertEquals(1, f.shimProcesses().size(), "one shim server for the namespace");
        stopAndDelete(first);
        stopAndDelete(second);
        Wait.until("shim server exited after its idle period", Duration.ofSeconds(20),
                () -> f.shimProcesses().isEmpty());
    }

    private void stopAndDelete(String id) {
        f.ctr("tasks", "kill", "--signal", "SIGKILL", id).assertSuccess();
        Wait.until("task " + id + " stopped", Duration.ofSeconds(20), () -> "STOPPED".equals(f.taskStatus(id)));
        f.ctr("tasks", "delete", id).assertSuccess();
        f.ctr("containers", "delete", id).assertSuccess();
        f.forget(id);
    }
}
