package dev.berth.manager.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.model.NetworkCreate;
import dev.berth.model.PortBinding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A plugin that fails at the end of the chain (after bridge and portmap added a veth, an address and DNAT rules):
 * the plugin directory holds the real plugins and a bogus {@code firewall} that refuses every ADD.
 */
class CniFailureTest extends NetworkFixture {

    private static final String BOGUS = """
            #!/bin/sh
            cat >/dev/null
            if [ "$CNI_COMMAND" = ADD ]; then
                echo '{"cniVersion":"1.0.0","code":999,"msg":"bogus plugin refuses","details":"by design"}'
                exit 1
            fi
            exit 0
            """;

    @Override
    NetworkOptions options() {
        Path plugins = dir.resolve("plugins");
        try {
            if (!Files.isDirectory(plugins)) {
                Files.createDirectories(plugins);
                for (String real : List.of("bridge", "host-local", "portmap", "loopback", "tuning")) {
                    Files.createSymbolicLink(plugins.resolve(real), NetworkOptions.DEBIAN_PLUGINS.resolve(real));
                }
                Path bogus = plugins.resolve("firewall");
                Files.writeString(bogus, BOGUS);
                Files.setPosixFilePermissions(bogus, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        NetworkOptions base = super.options();
        return new NetworkOptions(base.root(), base.state(), List.of(plugins), base.defaultBridge(), false, false);
    }

    @Test
    void setUp_pluginFailsMidChain_leavesNothing() throws Exception {
        netns.call(() -> networks.create(NetworkCreate.bridge("broken")));
        Map<String, List<PortBinding>> ports = Map.of("80/tcp", List.of(new PortBinding("", "18080")));
        BerthException e = assertThrows(BerthException.class, () -> netns.call(() -> sandboxes.setUp("default",
                "c".repeat(64), "c", new SandboxRequest("broken", Map.of(), ports))));
        assertEquals(ErrorKind.INTERNAL, e.kind());
        assertTrue(e.getMessage().contains("cni plugin firewall failed (ADD): bogus plugin refuses: by design"),
                e.getMessage());
        assertEquals("", leftovers());
        assertEquals(List.of(), db.networks().allEndpoints());
        // the host port went back too: the same request fails in the plugin again, not in the allocator
        BerthException again = assertThrows(BerthException.class, () -> netns.call(() -> sandboxes.setUp("default",
                "d".repeat(64), "d", new SandboxRequest("broken", Map.of(), ports))));
        assertTrue(again.getMessage().contains("bogus plugin refuses"), again.getMessage());
        assertEquals("", leftovers());
    }
}
