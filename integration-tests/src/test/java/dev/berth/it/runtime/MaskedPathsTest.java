package dev.berth.it.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.Bundle;
import dev.berth.it.support.ContainerTest;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** {@code linux.maskedPaths}: files read as empty, directories as empty, in the container only. */
class MaskedPathsTest extends ContainerTest {

    @Test
    void maskedPaths_defaultProcFile_readsEmpty() {
        // /proc/timer_list and /proc/keys show host-wide data (both exist and are non-empty on the test VM's kernel;
        // /proc/kcore does not exist there); masked, both read as nothing.
        assertEquals("0\n0\n", probe(newBundle(), "wc -c < /proc/timer_list; wc -c < /proc/keys"));
    }

    @Test
    void maskedPaths_defaultSysDirectory_isEmptyAndReadonly() {
        var r = probeResult(newBundle(), "ls -A /sys/firmware | wc -l; touch /sys/firmware/x");
        assertEquals("0\n", r.stdout());
        assertTrue(r.exitCode() != 0, r.toString());
    }

    @Test
    void maskedPaths_customFileAndDirectory_hidden() throws Exception {
        Bundle b = newBundle();
        Files.writeString(b.rootfs().resolve("etc/secret"), "top secret\n");
        Files.createDirectories(b.rootfs().resolve("etc/secrets.d"));
        Files.writeString(b.rootfs().resolve("etc/secrets.d/key"), "key\n");
        String out = probe(b.maskedPaths("/etc/secret", "/etc/secrets.d"),
                "cat /etc/secret; echo files=$(ls -A /etc/secrets.d | wc -l)");
        assertEquals("files=0\n", out);
        assertEquals("top secret\n", Files.readString(b.rootfs().resolve("etc/secret")), "untouched on the host");
    }

    @Test
    void maskedPaths_missingPath_isIgnored() {
        // The spec's default lists paths that many kernels lack (/proc/timer_stats); absence is not an error.
        assertEquals("ok\n", probe(newBundle().maskedPaths("/no/such/path"), "echo ok"));
    }
}
