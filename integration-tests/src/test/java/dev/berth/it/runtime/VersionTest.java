package dev.berth.it.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.ContainerTest;
import org.junit.jupiter.api.Test;

/** {@code --version}: the lines containerd's go-runc parses ({@code <name> version X}, {@code spec: Y}). */
class VersionTest extends ContainerTest {

    @Test
    void version_printsRuntimeAndSpecVersion() {
        String out = runtime.call("--version").assertSuccess().stdout();
        assertTrue(out.lines().findFirst().orElse("").matches("\\S+ version \\S+.*"), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("spec: 1\\.\\d+\\.\\d+.*")), out);
    }

    @Test
    void version_shortFlag_same() {
        String out = runtime.call("-v").assertSuccess().stdout();
        assertTrue(out.contains(" version "), out);
    }
}
