package dev.berth.it.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.Bundle;
import dev.berth.it.support.ContainerTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A user namespace with {@code uidMappings}/{@code gidMappings}: root inside is an unprivileged uid outside. */
class UserNamespaceTest extends ContainerTest {

    private static final long HOST_BASE = 100000;

    private Bundle userNamespaceBundle() {
        // The host's cgroup hierarchy cannot be mounted from inside an unprivileged user namespace on cgroup v1,
        // and the probe does not need it.
        return newBundle().namespace("user", null).uidMapping(0, HOST_BASE, 65536).gidMapping(0, HOST_BASE, 65536)
                .removeMount("/sys/fs/cgroup");
    }

    @Test
    void userNamespace_mappingsAreWritten() {
        String out = probe(userNamespaceBundle(), "cat /proc/self/uid_map /proc/self/gid_map");
        String[] lines = out.strip().split("\n");
        assertEquals(2, lines.length, out);
        for (String line : lines) {
            assertTrue(line.strip().matches("0\\s+" + HOST_BASE + "\\s+65536"), out);
        }
    }

    @Test
    void userNamespace_rootInsideIsMappedUidOnHost() throws Exception {
        Bundle b = userNamespaceBundle();
        Path shared = Files.createDirectories(tmp.resolve("shared"));
        // The mapped root needs write access to the host directory: world-writable for the probe.
        Files.setPosixFilePermissions(shared, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        // The rootfs belongs to the host's root, so the mapped root cannot create the mount point: make it here.
        Files.createDirectories(b.rootfs().resolve("shared"));
        String out = probe(b.bindMount(shared, "/shared"), "id -u; touch /shared/made-by-container-root");
        assertEquals("0\n", out, "root inside");
        Object owner = Files.getAttribute(shared.resolve("made-by-container-root"), "unix:uid");
        assertEquals((int) HOST_BASE, owner, "the file belongs to the mapped uid on the host");
    }

    @Test
    void userNamespace_differsFromHost() throws Exception {
        String host = Files.readSymbolicLink(Path.of("/proc/self/ns/user")).toString();
        String inside = probe(userNamespaceBundle(), "readlink /proc/self/ns/user").strip();
        assertNotEquals(host, inside);
    }

    @Test
    void userNamespace_nonRootUserMapped() {
        assertEquals("1000\n1000\n", probe(userNamespaceBundle().user(1000, 1000), "id -u; id -g"));
    }
}
