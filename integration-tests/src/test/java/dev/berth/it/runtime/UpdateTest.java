package dev.berth.it.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.it.support.Bundle;
import dev.berth.it.support.CgroupFs;
import dev.berth.it.support.ContainerTest;
import org.junit.jupiter.api.Test;

/** {@code update}: changes a running container's resources in its cgroup. */
class UpdateTest extends ContainerTest {

    @Test
    void update_memory_changesCgroupLimit() {
        Bundle b = newBundle().memoryLimit(32L * 1024 * 1024).args("sleep", "30");
        String id = newId();
        runtime.createAndStart(id, b);
        runtime.call("update", "--memory", "64M", id).assertSuccess();
        assertEquals(String.valueOf(64L * 1024 * 1024), CgroupFs.read(CgroupFs.memoryLimitFile(b.cgroupsPath())));
    }

    @Test
    void update_resourcesFromFile_changesPidsLimit() throws Exception {
        Bundle b = newBundle().pidsLimit(20).args("sleep", "30");
        String id = newId();
        runtime.createAndStart(id, b);
        // -r takes a JSON file of linux.resources; only the given fields change.
        java.nio.file.Path r = java.nio.file.Files.writeString(tmp.resolve("resources.json"), "{\"pids\":{\"limit\":33}}");
        runtime.call("update", "--resources", r.toString(), id).assertSuccess();
        String rel = b.cgroupsPath().substring(1);
        java.nio.file.Path max = CgroupFs.isV2() ? CgroupFs.MOUNT.resolve(rel).resolve("pids.max")
                : CgroupFs.MOUNT.resolve("pids").resolve(rel).resolve("pids.max");
        assertEquals("33", CgroupFs.read(max));
    }

    @Test
    void update_memory_seenInsideViaEventsStats() {
        Bundle b = newBundle().memoryLimit(32L * 1024 * 1024).args("sleep", "30");
        String id = newId();
        runtime.createAndStart(id, b);
        runtime.call("update", "--memory", "48M", id).assertSuccess();
        String out = runtime.call("events", "--stats", id).assertSuccess().stdout();
        assertEquals(true, out.contains("\"limit\":" + 48L * 1024 * 1024), out);
    }
}
