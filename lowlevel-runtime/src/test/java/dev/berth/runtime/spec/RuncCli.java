package dev.berth.runtime.spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the installed runc for tests that compare Berth's documents with runc's. */
public final class RuncCli {
    public static final Path RUNC = Path.of("/usr/sbin/runc");

    private RuncCli() {}

    public static boolean installed() {
        return Files.isExecutable(RUNC);
    }

    /** Runs {@code runc args...} in {@code dir} and returns its standard output; fails on a non-zero exit. */
    public static String run(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(RUNC.toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("runc " + String.join(" ", args) + ": timed out");
        }
        if (p.exitValue() != 0) {
            throw new IOException("runc " + String.join(" ", args) + ": exit status " + p.exitValue());
        }
        return out;
    }
}
