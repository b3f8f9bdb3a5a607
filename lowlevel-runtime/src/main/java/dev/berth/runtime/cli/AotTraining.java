package dev.berth.runtime.cli;

import dev.berth.runtime.spec.DefaultSpec;
import dev.berth.runtime.spec.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The hidden {@code aot-training} verb the build runs to record the AOT cache: the verbs a container's life
 * takes, on a throw-away busybox container under a temp root when the build runs as root with busybox present,
 * so that the cache holds the classes and native bindings of the real path, not only of start-up.
 */
final class AotTraining implements Command {
    @Override
    public int run(Context ctx, List<String> argv) throws IOException {
        Path tmp = Files.createTempDirectory("berth-aot-");
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        try {
            String root = tmp.resolve("root").toString();
            Main.run(List.of("--version"), ctx.syscallLibrary, quiet, quiet);
            Main.run(List.of("spec", "--bundle", tmp.toString()), ctx.syscallLibrary, quiet, quiet);
            Main.run(List.of("--root", root, "state", "nosuch"), ctx.syscallLibrary, quiet, quiet);
            Main.run(List.of("--root", root, "--log-format", "json", "list", "--format", "json"), ctx.syscallLibrary,
                    quiet, quiet);
            Main.run(List.of("features"), ctx.syscallLibrary, quiet, quiet);
            Path busybox = Path.of("/bin/busybox");
            if (Files.isExecutable(busybox) && Files.getAttribute(Path.of("/proc/self"), "unix:uid").equals(0)) {
                writeBundle(tmp, busybox);
                String id = "berth-aot-" + ProcessHandle.current().pid();
                for (List<String> verb : List.of(
                        List.of("run", "--bundle", tmp.toString(), id + "-run"),
                        List.of("create", "--bundle", tmp.toString(), id),
                        List.of("state", id),
                        List.of("start", id),
                        List.of("ps", "--format", "json", id),
                        List.of("kill", id, "KILL"),
                        List.of("delete", "--force", id))) {
                    List<String> args = new ArrayList<>(List.of("--root", root));
                    args.addAll(verb);
                    Main.run(args, ctx.syscallLibrary, quiet, quiet);
                }
            }
        } finally {
            try (var walk = Files.walk(tmp)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        return 0;
    }

    @SuppressWarnings("unchecked")
    private static void writeBundle(Path bundle, Path busybox) throws IOException {
        Path bin = Files.createDirectories(bundle.resolve("rootfs/bin"));
        Files.copy(busybox, bin.resolve("busybox"));
        Files.createSymbolicLink(bin.resolve("sh"), Path.of("busybox"));
        Files.createSymbolicLink(bin.resolve("true"), Path.of("busybox"));
        Map<String, Object> config = DefaultSpec.standard();
        Map<String, Object> process = (Map<String, Object>) config.get("process");
        process.put("terminal", false);
        process.put("args", List.of("sh", "-c", "true"));
        Map<String, Object> linux = (Map<String, Object>) config.get("linux");
        linux.put("cgroupsPath", "/berth-aot-" + ProcessHandle.current().pid());
        Files.writeString(bundle.resolve("config.json"), Json.write(config));
    }
}
