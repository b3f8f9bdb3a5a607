package dev.berth.manager.task;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link ShimTasks} runs.
 *
 * @param stateRoot the state root; bundles live in {@code io.containerd.runtime.v2.task/} under it
 * @param binaries which shim serves which runtime name
 * @param callTimeout the deadline of every shim call but Wait
 * @param shutdownTimeout how long a shim may take to exit once asked to
 */
public record ShimTasksConfig(Path stateRoot, ShimBinaries binaries, Duration callTimeout, Duration shutdownTimeout) {
    public ShimTasksConfig {
        Objects.requireNonNull(stateRoot, "stateRoot");
        Objects.requireNonNull(binaries, "binaries");
        Objects.requireNonNull(callTimeout, "callTimeout");
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        if (!stateRoot.isAbsolute()) {
            throw new IllegalArgumentException("state root must be an absolute path: " + stateRoot);
        }
    }
}
