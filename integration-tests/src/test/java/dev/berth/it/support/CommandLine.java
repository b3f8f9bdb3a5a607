package dev.berth.it.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs external programs for the suite, with stdout and stderr sent to files under a scratch directory.
 *
 * <p>Files rather than pipes because a runtime's {@code create} hands its own stdio to the container: reading a
 * pipe to EOF would then wait for the container to exit. A file never blocks, and keeps the container's output.
 */
public final class CommandLine {
    private final Path scratch;
    private final AtomicInteger counter = new AtomicInteger();

    public CommandLine(Path scratch) {
        this.scratch = scratch;
    }

    /** Runs to completion; a call that outlives the timeout is killed and fails the test. */
    public CliResult run(Duration timeout, List<String> command) {
        return run(timeout, command, Map.of(), null);
    }

    public CliResult run(Duration timeout, List<String> command, Map<String, String> env, String stdin) {
        try (Background bg = start(command, env, stdin)) {
            try {
                if (!bg.process().waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    bg.close();
                    throw new AssertionError("timed out after " + timeout + ": " + String.join(" ", command)
                            + "\n--- stdout ---\n" + bg.stdout() + "\n--- stderr ---\n" + bg.stderr());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            return bg.await(Duration.ZERO);
        }
    }

    /** Starts a program and returns at once. */
    public Background start(List<String> command, Map<String, String> env, String stdin) {
        int n = counter.incrementAndGet();
        String name = Path.of(command.getFirst()).getFileName().toString();
        Path out = scratch.resolve(n + "-" + name + ".out");
        Path err = scratch.resolve(n + "-" + name + ".err");
        try {
            Path in = null;
            if (stdin != null) {
                in = scratch.resolve(n + "-" + name + ".in");
                Files.writeString(in, stdin);
            }
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(in == null ? new File("/dev/null") : in.toFile());
            pb.environment().putAll(env);
            return new Background(List.copyOf(command), pb.start(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException("start " + command, e);
        }
    }
}
