package dev.berth.it.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.it.support.ContainerTest;
import org.junit.jupiter.api.Test;

/** {@code process.oomScoreAdj}, written to {@code /proc/<pid>/oom_score_adj}. */
class OomScoreAdjTest extends ContainerTest {

    @Test
    void oomScoreAdj_positive_applied() {
        assertEquals("500\n", probe(newBundle().oomScoreAdj(500), "cat /proc/self/oom_score_adj"));
    }

    @Test
    void oomScoreAdj_inheritedByExec() {
        String id = newId();
        runtime.createAndStart(id, newBundle().oomScoreAdj(321).args("sleep", "30"));
        assertEquals("321\n", runtime.execIn(id, "cat", "/proc/self/oom_score_adj").assertSuccess().stdout());
    }
}
