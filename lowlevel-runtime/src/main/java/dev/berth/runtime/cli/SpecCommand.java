package dev.berth.runtime.cli;

import dev.berth.runtime.spec.DefaultSpec;
import dev.berth.runtime.spec.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code spec [--bundle DIR] [--rootless]}: writes a starting config.json, never over an existing one. */
final class SpecCommand implements Command {
    @Override
    public int run(Context ctx, List<String> argv) throws IOException {
        Flags.Parsed p = new Flags().value("bundle", "b").bool("rootless").parse(argv, false);
        Command.requireArgs(p, "spec", 0, 0);
        Path file = Path.of(p.get("bundle", ".")).resolve("config.json");
        if (Files.exists(file)) {
            throw new IllegalStateException("spec: file " + file + " exists: remove it first");
        }
        Files.writeString(file, Json.writePretty(p.has("rootless") ? DefaultSpec.rootless(owner("unix:uid"), owner("unix:gid")) : DefaultSpec.standard(), 4) + "\n");
        return 0;
    }

    /** This process's uid or gid: the owner of /proc/self. */
    private static long owner(String attribute) throws IOException {
        return ((Number) Files.getAttribute(Path.of("/proc/self"), attribute)).longValue();
    }
}
