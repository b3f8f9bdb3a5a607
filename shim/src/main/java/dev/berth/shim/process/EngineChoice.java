package dev.berth.shim.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Which runtime engine a task uses, from containerd's runc options: a runtime binary ({@code BinaryName}) or
 * Berth's runtime in-process, and an optional state root ({@code Root}). Saved in the bundle as
 * {@code berth-engine} (two lines: binary, root; empty for none) so that {@code delete} after a crash finds it.
 */
public record EngineChoice(Optional<Path> binary, Optional<Path> root) {
    static final String FILE = "berth-engine";

    public static EngineChoice inProcess() {
        return new EngineChoice(Optional.empty(), Optional.empty());
    }

    public void save(Path bundle) throws IOException {
        Files.writeString(bundle.resolve(FILE), binary.map(Path::toString).orElse("") + "\n"
                + root.map(Path::toString).orElse("") + "\n", StandardCharsets.UTF_8);
    }

    /** The saved choice, or in-process if the bundle has none. */
    public static EngineChoice load(Path bundle) throws IOException {
        Path file = bundle.resolve(FILE);
        if (!Files.exists(file)) {
            return inProcess();
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        return new EngineChoice(path(lines, 0), path(lines, 1));
    }

    private static Optional<Path> path(List<String> lines, int i) {
        return i < lines.size() && !lines.get(i).isBlank() ? Optional.of(Path.of(lines.get(i).strip()))
                : Optional.empty();
    }
}
