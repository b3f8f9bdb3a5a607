package dev.berth.shim.process;

import dev.berth.shim.engine.EngineException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a server that takes over a container ({@link Container#adopt}) needs from its Create and cannot ask the
 * runtime: the stdio paths the client passed and how many mounts the rootfs stacks. Saved in the bundle as
 * {@value #FILE}, one value a line: stdin, stdout, stderr, terminal ({@code true}/{@code false}), mounts.
 */
record TaskFile(ShimProcess.ProcessStdio stdio, int rootfsMounts) {
    static final String FILE = "berth-task";

    static TaskFile of(Container.CreateSpec spec) {
        return new TaskFile(spec.stdio(), spec.rootfs().size());
    }

    void save(Path bundle) {
        String text = String.join("\n", stdio.stdin(), stdio.stdout(), stdio.stderr(),
                Boolean.toString(stdio.terminal()), Integer.toString(rootfsMounts)) + "\n";
        Path file = bundle.resolve(FILE);
        try {
            Path tmp = bundle.resolve(FILE + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new EngineException(EngineException.Kind.INVALID_ARGUMENT, "save " + file + ": " + e.getMessage(),
                    e);
        }
    }

    static TaskFile load(Path bundle) throws IOException {
        Path file = bundle.resolve(FILE);
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.size() < 5) {
            throw new IOException("read " + file + ": " + lines.size() + " lines, want 5");
        }
        try {
            return new TaskFile(new ShimProcess.ProcessStdio(lines.get(0), lines.get(1), lines.get(2),
                    Boolean.parseBoolean(lines.get(3))), Integer.parseInt(lines.get(4)));
        } catch (NumberFormatException e) {
            throw new IOException("read " + file + ": " + e.getMessage(), e);
        }
    }
}
