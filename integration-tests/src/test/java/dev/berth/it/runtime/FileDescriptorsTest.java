package dev.berth.it.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.it.support.Bundle;
import dev.berth.it.support.CliResult;
import dev.berth.it.support.ContainerTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** No descriptor of the runtime (a JVM, for berth-runtime) or of its caller reaches the container's process. */
class FileDescriptorsTest extends ContainerTest {

    /** ls lists /proc/self/fd of itself: 0-2 plus the directory it reads (fd 3). */
    private static final String ONLY_STDIO = "0\n1\n2\n3\n";

    @Test
    void fds_ofRunProcess_onlyStdio() {
        assertEquals(ONLY_STDIO, probe(newBundle(), "exec ls /proc/self/fd"));
    }

    @Test
    void fds_ofCreatedAndStartedProcess_onlyStdio() {
        String id = newId();
        Bundle b = newBundle().sh("exec ls /proc/self/fd");
        CliResult created = runtime.create(id, b).assertSuccess();
        runtime.start(id).assertSuccess();
        runtime.awaitStatus(id, "stopped", Duration.ofSeconds(10));
        // The container's stdout is the create call's stdout file.
        assertEquals(ONLY_STDIO,
                readFile(created.stdoutFile()));
    }

    @Test
    void fds_ofExecProcess_onlyStdio() {
        String id = newId();
        runtime.createAndStart(id, newBundle().args("sleep", "30"));
        assertEquals(ONLY_STDIO, runtime.execIn(id, "ls", "/proc/self/fd").assertSuccess().stdout());
    }

    @Test
    void fds_leakedByCaller_doNotReachContainer() {
        // The caller hands the runtime fd 7 without --preserve-fds (a sloppy shim would): it must not pass on.
        Bundle b = newBundle().sh("exec ls /proc/self/fd").writeConfig();
        String id = newId();
        runtime.track(id);
        List<String> argv = runtime.argv("run", "--bundle", b.dir().toString(), id);
        String quoted = String.join(" ", argv.stream().map(a -> "'" + a + "'").toList());
        CliResult r = commandLine.run(Duration.ofSeconds(60), List.of("/bin/sh", "-c", "exec 7</dev/null; exec " + quoted));
        assertEquals(ONLY_STDIO, r.assertSuccess().stdout());
    }

    @Test
    void fds_preserveFds_passesExactlyThoseOn() {
        // --preserve-fds 1: fd 3 of the caller becomes fd 3 of the container process, nothing beyond it.
        Bundle b = newBundle().sh("cat <&3; exec ls /proc/self/fd").writeConfig();
        String id = newId();
        runtime.track(id);
        List<String> argv = runtime.argv("run", "--preserve-fds", "1", "--bundle", b.dir().toString(), id);
        String quoted = String.join(" ", argv.stream().map(a -> "'" + a + "'").toList());
        CliResult r = commandLine.run(Duration.ofSeconds(60), List.of("/bin/sh", "-c",
                "exec 3<<EOF\npassed on\nEOF\nexec 4</dev/null; exec " + quoted));
        // ls sees 0-3 (3 is the preserved one, its own directory fd becomes 4).
        assertEquals("passed on\n0\n1\n2\n3\n4\n", r.assertSuccess().stdout());
    }

    private static String readFile(java.nio.file.Path p) {
        try {
            return java.nio.file.Files.readString(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
