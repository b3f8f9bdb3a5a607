package dev.berth.it.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.ContainerTest;
import org.junit.jupiter.api.Test;

/** The container's process: PID 1 of its PID namespace, with the spec's args, env and cwd. */
class InitProcessTest extends ContainerTest {

    @Test
    void process_isPid1WithSpecArgs() {
        String out = probe(newBundle(), "echo pid=$$; tr '\\0' ' ' < /proc/1/cmdline; echo");
        assertTrue(out.contains("pid=1\n"), out);
        // The init execs the user process: no runtime helper remains as PID 1.
        assertTrue(out.contains("sh -c echo pid=$$;"), out);
    }

    @Test
    void process_argsArePassedVerbatim() {
        String out = runtime.run(newId(), newBundle().args("sh", "-c", "for a in \"$@\"; do echo \"[$a]\"; done",
                "sh", "two words", "", "$HOME")).assertSuccess().stdout();
        assertEquals("[two words]\n[]\n[$HOME]\n", out);
    }

    @Test
    void process_envIsExactlyTheSpecs() {
        String out = probe(newBundle().env("GREETING=hello world", "EMPTY="), "env | sort");
        // sh itself adds PWD (and busybox SHLVL); everything else must come from the spec, nothing from the runtime.
        String filtered = out.lines().filter(l -> !l.startsWith("PWD=") && !l.startsWith("SHLVL="))
                .reduce("", (a, l) -> a + l + "\n");
        assertEquals("EMPTY=\nGREETING=hello world\nHOME=/root\n"
                + "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nTERM=xterm\n", filtered);
    }

    @Test
    void process_cwdIsSet() {
        assertEquals("/tmp\n", probe(newBundle().cwd("/tmp"), "pwd"));
    }

    @Test
    void process_cwdIsCreatedWhenMissing() {
        // runc creates a missing cwd (as root, before dropping privileges); containerd relies on it for WORKDIR.
        assertEquals("/work/dir\n", probe(newBundle().rootReadonly(false).cwd("/work/dir"), "pwd"));
    }
}
