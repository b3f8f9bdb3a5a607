package dev.berth.it.runtime;

import static dev.berth.testsupport.Json.arr;
import static dev.berth.testsupport.Json.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.it.support.Bundle;
import dev.berth.it.support.CliResult;
import dev.berth.it.support.ContainerTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code linux.resources.network}: net_cls's class id and net_prio's interface priorities, cgroup v1 controllers.
 * Where they are not mounted (this machine mounts neither; cgroup v2 has neither) create fails naming the
 * controller, never ignoring the field.
 */
class NetworkResourcesTest extends ContainerTest {

    private static boolean mounted(String controller) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .anyMatch(l -> l.contains(" - cgroup ") && l.matches(".*[ ,]" + controller + "(,.*|$)"));
    }

    private Bundle classId(long id) {
        Bundle b = newBundle();
        b.resources().put("network", obj("classID", id));
        return b;
    }

    private Bundle priority(String iface, long prio) {
        Bundle b = newBundle();
        b.resources().put("network", obj("priorities", arr(obj("name", iface, "priority", prio))));
        return b;
    }

    @Test
    void classId_netClsNotMounted_createFailsNamingTheController() throws IOException {
        assumeTrue(!mounted("net_cls"), "net_cls is mounted here");
        CliResult r = runtime.create(newId(), classId(0x100001L));
        assertTrue(!r.succeeded() && r.output().contains("net_cls"), r.toString());
    }

    @Test
    void priorities_netPrioNotMounted_createFailsNamingTheController() throws IOException {
        assumeTrue(!mounted("net_prio"), "net_prio is mounted here");
        CliResult r = runtime.create(newId(), priority("lo", 5));
        assertTrue(!r.succeeded() && r.output().contains("net_prio"), r.toString());
    }

    @Test
    void classId_netClsMounted_seenInTheContainersCgroup() throws IOException {
        assumeTrue(mounted("net_cls"), "net_cls is not mounted here");
        assertEquals("1048577\n", probe(classId(0x100001L),
                "cat /sys/fs/cgroup/net_cls/net_cls.classid 2>/dev/null || cat /sys/fs/cgroup/net_cls,net_prio/net_cls.classid"));
    }

    @Test
    void priorities_netPrioMounted_seenInTheContainersCgroup() throws IOException {
        assumeTrue(mounted("net_prio"), "net_prio is not mounted here");
        String map = probe(priority("lo", 5), "cat /sys/fs/cgroup/net_prio/net_prio.ifpriomap 2>/dev/null"
                + " || cat /sys/fs/cgroup/net_cls,net_prio/net_prio.ifpriomap");
        assertTrue(map.lines().anyMatch("lo 5"::equals), map);
    }
}
