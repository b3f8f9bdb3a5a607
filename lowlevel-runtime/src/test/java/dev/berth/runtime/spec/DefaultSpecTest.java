package dev.berth.runtime.spec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class DefaultSpecTest {

    @Test
    void standard_sameAsRuncSpec(@TempDir Path dir) throws IOException, InterruptedException {
        assumeTrue(RuncCli.installed(), "runc is not installed");
        RuncCli.run(dir, "spec");
        Object runc = Json.parse(Files.readString(dir.resolve("config.json")));

        // Pretty text of both trees: equal values and equal field order, with a readable diff on failure
        assertEquals(Json.writePretty(runc, 2), Json.writePretty(DefaultSpec.standard(), 2));
        assertEquals(runc, DefaultSpec.standard());
    }

    @Test
    void rootless_sameAsRuncSpecRootless(@TempDir Path dir) throws IOException, InterruptedException {
        assumeTrue(RuncCli.installed(), "runc is not installed");
        RuncCli.run(dir, "spec", "--rootless");
        Object runc = Json.parse(Files.readString(dir.resolve("config.json")));
        long[] ids = effectiveIds();

        Map<String, Object> ours = DefaultSpec.rootless(ids[0], ids[1]);

        assertEquals(Json.writePretty(runc, 2), Json.writePretty(ours, 2));
        assertEquals(runc, ours);
    }

    @Test
    void rootless_mapsRootToTheGivenIds() {
        Spec spec = Spec.parse(Json.write(DefaultSpec.rootless(1000, 1001)), "rootless");

        assertEquals(List.of(new Linux.IdMapping(0, 1000, 1)), spec.linux().uidMappings());
        assertEquals(List.of(new Linux.IdMapping(0, 1001, 1)), spec.linux().gidMappings());
        assertTrue(spec.linux().namespaces().contains(new Linux.Namespace("user", "")));
        assertFalse(spec.linux().namespaces().contains(new Linux.Namespace("network", "")));
    }

    @Test
    void standard_readsBackAsSpec() {
        Spec spec = Spec.parse(Json.writePretty(DefaultSpec.standard(), 2), "default");

        assertEquals(List.of("sh"), spec.process().args());
        assertEquals("rootfs", spec.root().path());
        assertTrue(spec.root().readonly());
        assertTrue(spec.process().noNewPrivileges());
        assertEquals(List.of(new Spec.Rlimit("RLIMIT_NOFILE", 1024, 1024)), spec.process().rlimits());
        assertEquals(7, spec.mounts().size());
        assertEquals(Features.OCI_VERSION_MAX, spec.ociVersion());
    }

    /** The effective uid and gid, which runc writes as hostID (from /proc/self/status: real, effective, ...). */
    private static long[] effectiveIds() throws IOException {
        long uid = -1;
        long gid = -1;
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            String[] f = line.split("\\s+");
            if (f[0].equals("Uid:")) {
                uid = Long.parseLong(f[2]);
            } else if (f[0].equals("Gid:")) {
                gid = Long.parseLong(f[2]);
            }
        }
        return new long[] {uid, gid};
    }
}
