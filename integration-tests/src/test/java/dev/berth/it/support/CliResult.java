package dev.berth.it.support;

import java.nio.file.Path;
import java.util.List;

/**
 * The outcome of one command-line call: the argv, the exit code and everything it printed.
 *
 * <p>{@code stdoutFile} stays valid after the call: a container created by the call inherits the runtime's stdout
 * (non-terminal mode), so its later output lands in that file too.
 */
public record CliResult(List<String> command, int exitCode, String stdout, String stderr, Path stdoutFile,
                        Path stderrFile) {

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** Fails the test with the full call in the message unless the exit code is 0. */
    public CliResult assertSuccess() {
        if (exitCode != 0) {
            throw new AssertionError("expected success: " + this);
        }
        return this;
    }

    /** Fails the test unless the call failed (any non-zero exit code). */
    public CliResult assertFailure() {
        if (exitCode == 0) {
            throw new AssertionError("expected a failure: " + this);
        }
        return this;
    }

    /** stdout and stderr together, for asserting on a message wherever the program chose to print it. */
    public String output() {
        return stdout + stderr;
    }

    @Override
    public String toString() {
        return "`" + String.join(" ", command) + "` exited " + exitCode + "\n--- stdout ---\n" + stdout
                + "\n--- stderr ---\n" + stderr;
    }
}
