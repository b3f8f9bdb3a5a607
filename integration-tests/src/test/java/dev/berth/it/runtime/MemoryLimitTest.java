package dev.berth.it.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.Bundle;
import dev.berth.it.support.CgroupFs;
import dev.berth.it.support.CliResult;
import dev.berth.it.support.ContainerTest;
import org.junit.jupiter.api.Test;

/** {@code linux.resources.memory.limit}: the cgroup limit is set and enforced by the OOM killer. */
class MemoryLimitTest extends ContainerTest {

    private static final long LIMIT = 32L * 1024 * 1024;

    @Test
    void memoryLimit_writtenToCgroup() {
        Bundle b = newBundle().memoryLimit(LIMIT).args("sleep", "30");
        String id = newId();
        runtime.createAndStart(id, b);
        assertEquals(String.valueOf(LIMIT), CgroupFs.read(CgroupFs.memoryLimitFile(b.cgroupsPath())));
    }

    @Test
    void memoryLimit_exceededByInit_isOomKilled() {
        // tail keeps the last line of its input in memory; /dev/zero has no newline, so it grows without bound.
        CliResult r = runtime.run(newId(), newBundle().memoryLimit(LIMIT).args("tail", "/dev/zero"));
        assertEquals(137, r.exitCode(), "killed by SIGKILL (128 + 9): " + r);
    }

    @Test
    void memoryLimit_exceededByChild_onlyChildIsKilled() {
        String out = probe(newBundle().memoryLimit(LIMIT), "tail /dev/zero; echo child-exit=$?");
        assertEquals("child-exit=137\n", out);
    }

    @Test
    void memoryLimit_belowLimit_allocationSucceeds() {
        // dd allocates one buffer of its block size: 8 MiB fits well under the 32 MiB limit.
        String out = probe(newBundle().memoryLimit(LIMIT), "dd if=/dev/zero of=/dev/null bs=8M count=1 2>&1; echo $?");
        assertTrue(out.endsWith("0\n"), out);
    }
}
