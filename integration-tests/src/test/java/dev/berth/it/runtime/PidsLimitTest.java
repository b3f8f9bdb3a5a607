package dev.berth.it.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.Bundle;
import dev.berth.it.support.CgroupFs;
import dev.berth.it.support.ContainerTest;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** {@code linux.resources.pids.limit}: a fork loop is capped by the pids cgroup. */
class PidsLimitTest extends ContainerTest {

    @Test
    void pidsLimit_forkLoop_isCapped() {
        // A child shell forks 40 background sleeps against a limit of 10 and dies at the first failed fork (ash
        // treats it as fatal); its sleeps stay. PID 1 then counts processes with builtins only (a glob and echo),
        // because no further fork would succeed. Without the limit there would be 41.
        var r = probeResult(newBundle().pidsLimit(10), "sh -c 'i=0; while [ $i -lt 40 ]; do sleep 30 & "
                + "i=$((i+1)); done'; cd /proc; set -- [0-9]*; echo $#");
        assertTrue(r.stdout().strip().matches("\\d+"), "the probe printed a count: " + r);
        int processes = Integer.parseInt(r.stdout().strip());
        assertTrue(processes >= 5 && processes <= 10, "processes in the container: " + r);
        assertTrue(r.stderr().contains("can't fork"), "the shell reports the failed fork: " + r);
    }

    @Test
    void pidsLimit_writtenToCgroup() {
        Bundle b = newBundle().pidsLimit(42).args("sleep", "30");
        runtime.createAndStart(newId(), b);
        String rel = b.cgroupsPath().substring(1);
        Path max = CgroupFs.isV2() ? CgroupFs.MOUNT.resolve(rel).resolve("pids.max")
                : CgroupFs.MOUNT.resolve("pids").resolve(rel).resolve("pids.max");
        Assumptions.assumeTrue(max.toFile().exists(), "no pids controller on this host");
        assertEquals("42", CgroupFs.read(max));
    }
}
