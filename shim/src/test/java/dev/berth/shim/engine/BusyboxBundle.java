package dev.berth.shim.engine;

import dev.berth.runtime.spec.DefaultSpec;
import dev.berth.runtime.spec.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A bundle for tests: a rootfs of Debian's static busybox with a few applet links, and the runtime's default
 * config (what {@code berth-runtime spec} writes) with terminal off, the given args and a cgroup of the test's own.
 */
final class BusyboxBundle {
    private static final Path BUSYBOX = Path.of("/bin/busybox");
    private static final List<String> APPLETS = List.of("sh", "echo", "sleep", "cat", "true", "ls");

    private BusyboxBundle() {}

    @SuppressWarnings("unchecked")
    static Path create(Path dir, String cgroupsPath, String... args) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("rootfs/bin"));
        Files.copy(BUSYBOX, bin.resolve("busybox"));
        for (String applet : APPLETS) {
            Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
        }
        Map<String, Object> config = Json.parseObject(Json.write(DefaultSpec.standard()));
        Map<String, Object> process = (Map<String, Object>) config.get("process");
        process.put("terminal", false);
        process.put("args", List.of(args));
        ((Map<String, Object>) config.get("linux")).put("cgroupsPath", cgroupsPath);
        Files.writeString(dir.resolve("config.json"), Json.write(config));
        return dir;
    }

    /** A runtime-spec process object for exec. */
    static String process(String... args) {
        return Json.write(Map.of("terminal", false, "args", List.of(args), "cwd", "/",
                "env", List.of("PATH=/bin"), "user", Map.of("uid", 0L, "gid", 0L)));
    }
}
