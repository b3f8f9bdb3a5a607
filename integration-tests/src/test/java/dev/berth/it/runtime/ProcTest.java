package dev.berth.it.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.ContainerTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@code /proc} inside the container is a proc of the container's own PID namespace. */
class ProcTest extends ContainerTest {

    @Test
    void proc_showsOnlyTheContainersProcesses() {
        String out = probe(newBundle(), "sleep 10 & cd /proc && echo [0-9]*");
        long[] pids = Arrays.stream(out.strip().split(" ")).mapToLong(Long::parseLong).toArray();
        // sh (1), the background sleep, and echo is a builtin: only a handful of small pids, never host pids.
        assertTrue(pids.length >= 2 && pids.length <= 4, out);
        assertEquals(1, pids[0], out);
        assertTrue(Arrays.stream(pids).allMatch(p -> p < 10), out);
    }

    @Test
    void proc_pidNamespaceDiffersFromHost() throws Exception {
        String host = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
        String inside = probe(newBundle(), "readlink /proc/self/ns/pid").strip();
        assertTrue(inside.startsWith("pid:["), inside);
        assertNotEquals(host, inside);
    }

    @Test
    void proc_withoutPidNamespace_seesHostProcesses() throws Exception {
        String host = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
        String out = probe(newBundle().withoutNamespace("pid"), "readlink /proc/self/ns/pid; echo $$");
        String[] lines = out.strip().split("\n");
        assertEquals(host, lines[0]);
        assertNotEquals("1", lines[1], "not PID 1 when the host's PID namespace is shared");
    }

    @Test
    void proc_isMountedProcType() {
        String out = probe(newBundle(), "grep ' /proc ' /proc/self/mountinfo");
        assertTrue(out.contains(" - proc "), out);
    }
}
