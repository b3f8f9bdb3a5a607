package dev.berth.it.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.CliResult;
import dev.berth.it.support.ContainerTest;
import dev.berth.it.support.DefaultSpec;
import dev.berth.testsupport.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code spec}: writes runc's default {@code config.json} into a bundle and never overwrites one. */
class SpecCommandTest extends ContainerTest {

    @Test
    void spec_writesRuncDefaultConfig() throws Exception {
        Path bundle = Files.createDirectories(tmp.resolve("specdir"));
        runtime.call("spec", "--bundle", bundle.toString()).assertSuccess();
        Map<String, Object> written = Json.parseObject(Files.readString(bundle.resolve("config.json")));
        Map<String, Object> expected = DefaultSpec.create();
        // ociVersion names the spec version the runtime implements, which may be newer than runc 1.1's.
        assertTrue(((String) written.remove("ociVersion")).startsWith("1."));
        expected.remove("ociVersion");
        assertEquals(Json.write(expected), Json.write(written), "same content as runc spec's default");
    }

    @Test
    void spec_existingConfig_isNotOverwritten() throws Exception {
        Path bundle = Files.createDirectories(tmp.resolve("specdir"));
        Files.writeString(bundle.resolve("config.json"), "{\"mine\": true}\n");
        CliResult r = runtime.call("spec", "--bundle", bundle.toString()).assertFailure();
        assertTrue(r.output().contains("exists"), r.toString());
        assertEquals("{\"mine\": true}\n", Files.readString(bundle.resolve("config.json")));
    }

    @Test
    void spec_writtenConfig_runsWithBusyboxRootfs() throws Exception {
        // The default spec is runnable as is (after turning off the terminal): a bundle made by spec works.
        var b = newBundle();
        String cgroupsPath = b.cgroupsPath();
        Files.deleteIfExists(b.configFile());
        runtime.call("spec", "--bundle", b.dir().toString()).assertSuccess();
        Map<String, Object> spec = Json.parseObject(Files.readString(b.configFile()));
        b.spec().clear();
        b.spec().putAll(spec);
        // The suite's unique cgroup keeps the clean-up check (no cgroup left behind) meaningful.
        b.terminal(false).cgroupsPath(cgroupsPath).args("echo", "spec works");
        assertEquals("spec works\n", runtime.run(newId(), b).assertSuccess().stdout());
    }
}
