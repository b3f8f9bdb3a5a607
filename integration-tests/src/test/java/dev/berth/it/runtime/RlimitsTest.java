package dev.berth.it.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.ContainerTest;
import org.junit.jupiter.api.Test;

/** {@code process.rlimits}: set with setrlimit before the user process runs. */
class RlimitsTest extends ContainerTest {

    @Test
    void rlimits_defaultNofile_is1024() {
        assertEquals("1024\n1024\n", probe(newBundle(), "ulimit -n; ulimit -Hn"));
    }

    @Test
    void rlimits_softAndHardDiffer_bothApplied() {
        assertEquals("512\n1000\n", probe(newBundle().rlimit("RLIMIT_NOFILE", 512, 1000), "ulimit -n; ulimit -Hn"));
    }

    @Test
    void rlimits_otherResources_applied() {
        String out = probe(newBundle().rlimit("RLIMIT_NPROC", 300, 400).rlimit("RLIMIT_CORE", 0, 0),
                "cat /proc/self/limits");
        String nproc = out.lines().filter(l -> l.startsWith("Max processes")).findFirst().orElseThrow();
        assertTrue(nproc.matches("Max processes\\s+300\\s+400\\s+processes\\s*"), nproc);
        String core = out.lines().filter(l -> l.startsWith("Max core file size")).findFirst().orElseThrow();
        assertTrue(core.matches("Max core file size\\s+0\\s+0\\s+bytes\\s*"), core);
    }

    @Test
    void rlimits_softLimitEnforced() {
        // 20 descriptors: sh holds 0-2 and a few of its own; opening many more must fail.
        var r = probeResult(newBundle().rlimit("RLIMIT_NOFILE", 20, 20),
                "i=3; while [ $i -lt 40 ]; do eval \"exec $i</dev/null\" || exit 9; i=$((i+1)); done");
        assertTrue(r.exitCode() != 0, r.toString());
    }
}
