package dev.berth.shim.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShimGroupTest {
    @TempDir
    Path bundle;

    @Test
    void fnv1a64_knownVectors_matchTheReference() {
        // FNV's reference values (as berth-shim-start.c computes them for the namespace's socket)
        assertEquals(0xcbf29ce484222325L, ShimGroup.fnv1a64(new byte[0]));
        assertEquals(0xaf63dc4c8601ec8cL, ShimGroup.fnv1a64("a".getBytes(StandardCharsets.UTF_8)));
        assertEquals(0x85944171f73967e8L, ShimGroup.fnv1a64("foobar".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void of_specWithoutGroup_joinsTheNamespacesServer() throws IOException {
        Files.writeString(bundle.resolve("config.json"), "{\"annotations\": {\"x\": \"y\"}}");
        ShimGroup group = ShimGroup.of(bundle, "ns1", "c1", Map.of());
        assertEquals(new ShimGroup(ShimGroup.Scope.NAMESPACE, "ns1"), group);
        assertEquals("ns-" + HexFormat.of().toHexDigits(ShimGroup.fnv1a64("ns1".getBytes(StandardCharsets.UTF_8))),
                group.socketName("ns1"));
    }

    @Test
    void of_groupAnnotation_narrowsToTheLabel() throws IOException {
        Files.writeString(bundle.resolve("config.json"),
                "{\"annotations\": {\"io.kubernetes.cri.sandbox-id\": \"pod1\"}}");
        assertEquals(new ShimGroup(ShimGroup.Scope.LABEL, "pod1"), ShimGroup.of(bundle, "ns1", "c1", Map.of()));
    }

    @Test
    void of_containerMode_givesEachTaskItsOwnServer() throws IOException {
        Files.writeString(bundle.resolve("config.json"),
                "{\"annotations\": {\"io.containerd.runc.v2.group\": \"g\"}}");
        ShimGroup group = ShimGroup.of(bundle, "ns1", "c1", Map.of(ShimGroup.MODE_VARIABLE, "container"));
        assertEquals(new ShimGroup(ShimGroup.Scope.CONTAINER, "c1"), group);
        assertEquals(16, group.socketName("ns1").length());
    }
}
