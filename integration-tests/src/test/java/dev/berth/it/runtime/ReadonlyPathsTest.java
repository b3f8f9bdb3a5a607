package dev.berth.it.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.Bundle;
import dev.berth.it.support.CliResult;
import dev.berth.it.support.ContainerTest;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** {@code linux.readonlyPaths}: bind-mounted read-only over themselves. */
class ReadonlyPathsTest extends ContainerTest {

    @Test
    void readonlyPaths_procSys_cannotBeWritten() {
        // With CAP_SYS_ADMIN the container could set its own UTS hostname through /proc/sys, but /proc/sys is
        // read-only: the bind mount, not a capability, refuses the write.
        CliResult r = probeResult(newBundle().allCapabilitySets("CAP_SYS_ADMIN"),
                "grep ' /proc/sys ' /proc/self/mountinfo; echo other > /proc/sys/kernel/hostname");
        assertTrue(r.stdout().contains(" /proc/sys ro,"), r.toString());
        assertTrue(r.exitCode() != 0 && r.stderr().contains("Read-only file system"), r.toString());
    }

    @Test
    void readonlyPaths_customDirectory_readableNotWritable() throws Exception {
        Bundle b = newBundle().rootReadonly(false);
        Files.createDirectories(b.rootfs().resolve("config"));
        Files.writeString(b.rootfs().resolve("config/app.conf"), "setting=1\n");
        CliResult r = probeResult(b.readonlyPaths("/config"), "cat /config/app.conf; touch /tmp/ok && touch /config/x");
        assertEquals("setting=1\n", r.stdout());
        assertTrue(r.exitCode() != 0 && r.stderr().contains("Read-only file system"), r.toString());
        assertTrue(Files.exists(b.rootfs().resolve("tmp/ok")), "the rest of the rootfs stays writable");
    }
}
