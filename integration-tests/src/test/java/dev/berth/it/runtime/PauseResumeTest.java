package dev.berth.it.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.Bundle;
import dev.berth.it.support.CliResult;
import dev.berth.it.support.ContainerTest;
import dev.berth.it.support.Wait;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code pause} and {@code resume}: the freezer stops every process of the container and lets it go on. */
class PauseResumeTest extends ContainerTest {

    @Test
    void pause_freezesProcesses_resumeLetsThemContinue() {
        Bundle b = newBundle().rootReadonly(false)
                .sh("i=0; while true; do i=$((i+1)); echo $i > /tmp/count.new; mv /tmp/count.new /tmp/count; "
                        + "sleep 0.02; done");
        String id = newId();
        runtime.createAndStart(id, b);
        Path counter = b.rootfs().resolve("tmp/count");
        Wait.until("the counter runs", Duration.ofSeconds(10), () -> count(counter) > 2);

        runtime.call("pause", id).assertSuccess();
        assertEquals("paused", runtime.status(id));
        long frozen = count(counter);
        Wait.sleep(Duration.ofMillis(500));
        assertEquals(frozen, count(counter), "the counter must not advance while paused");

        runtime.call("resume", id).assertSuccess();
        assertEquals("running", runtime.status(id));
        Wait.until("the counter advances after resume", Duration.ofSeconds(10), () -> count(counter) > frozen + 2);
    }

    @Test
    void exec_inPausedContainer_isRefused() {
        String id = newId();
        runtime.createAndStart(id, newBundle().args("sleep", "30"));
        runtime.call("pause", id).assertSuccess();
        CliResult r = runtime.execIn(id, "true").assertFailure();
        assertTrue(r.output().contains("paused"), r.toString());
        runtime.call("resume", id).assertSuccess();
    }

    @Test
    void pause_ofStoppedContainer_fails() {
        String id = newId();
        runtime.create(id, newBundle().args("true")).assertSuccess();
        runtime.start(id).assertSuccess();
        runtime.awaitStatus(id, "stopped", Duration.ofSeconds(10));
        CliResult r = runtime.call("pause", id).assertFailure();
        assertTrue(r.output().contains("not running"), r.toString());
    }

    @Test
    void resume_ofRunningContainer_fails() {
        String id = newId();
        runtime.createAndStart(id, newBundle().args("sleep", "30"));
        CliResult r = runtime.call("resume", id).assertFailure();
        assertTrue(r.output().contains("not paused"), r.toString());
    }

    private static long count(Path counter) {
        try {
            return Files.exists(counter) ? Long.parseLong(Files.readString(counter).strip()) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
