package dev.berth.it.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.it.support.Background;
import dev.berth.it.support.Bundle;
import dev.berth.it.support.ContainerTest;
import dev.berth.it.support.Wait;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code linux.namespaces} with a mount namespace joined by path: the container's rootfs, mounts and devices are set
 * up inside that namespace (runtime-tools' linux_ns_path found the process started in the host's root instead).
 * The namespace belongs to an {@code unshare --mount} (propagation private) the test starts and kills, so nothing
 * the container mounts reaches the host.
 */
class JoinedMountNamespaceTest extends ContainerTest {

    private static String link(Path p) {
        try {
            return Files.readSymbolicLink(p).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void mountNamespaceByPath_processRunsInItsRootfsInsideTheJoinedNamespace() throws IOException {
        String ours = link(Path.of("/proc/self/ns/mnt"));
        try (Background holder = commandLine.start(List.of("unshare", "--mount", "--propagation", "private",
                "sleep", "600"), Map.of(), null)) {
            Path ns = Path.of("/proc/" + holder.pid() + "/ns/mnt");
            Wait.until("unshare's own mount namespace", Duration.ofSeconds(10),
                    () -> holder.isAlive() && !link(ns).equals(ours));
            Bundle b = newBundle().namespace("mount", ns.toString());
            Files.writeString(b.rootfs().resolve("marker"), "the bundle's rootfs\n");
            String out = probe(b, "cat /marker; readlink /proc/self/ns/mnt; test -c /dev/null && echo dev");
            assertEquals("the bundle's rootfs\n" + link(ns) + "\ndev\n", out);
        }
    }
}
