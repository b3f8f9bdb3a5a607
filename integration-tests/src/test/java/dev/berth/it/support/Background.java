package dev.berth.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A command started by the suite that keeps running while the test goes on (e.g. a foreground {@code run}). */
public final class Background implements AutoCloseable {
    private final List<String> command;
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    Background(List<String> command, Process process, Path stdout, Path stderr) {
        this.command = command;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    public long pid() {
        return process.pid();
    }

    public Process process() {
        return process;
    }

    /** What it printed on stdout so far. */
    public String stdout() {
        return read(stdout);
    }

    public String stderr() {
        return read(stderr);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for it to exit and returns the whole result; fails the test if it does not exit in time. */
    public CliResult await(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("still running after " + timeout + ": " + String.join(" ", command)
                        + "\n--- stdout ---\n" + stdout() + "\n--- stderr ---\n" + stderr());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        return new CliResult(command, process.exitValue(), stdout(), stderr(), stdout, stderr);
    }

    /** Kills the process the suite started (by its PID, through its handle) if it still runs. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
