package dev.berth.shim.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The kernel's count of OOM kills in one memory cgroup: the {@code oom_kill} line of {@code memory.oom_control}
 * (v1, kernel 4.13 and later) or of {@code memory.events} (v2).
 *
 * <p>{@link #locate} finds the cgroup of a process from {@code /proc/<pid>/cgroup}: on v1 the line whose
 * controller list names {@code memory} (its hierarchy is mounted at {@code <root>/<controllers>}), on v2 the
 * {@code 0::} line under the unified root.
 */
record OomCounter(Path file) {
    private static final String KEY = "oom_kill ";

    /** The counter of the memory cgroup {@code pid} is in, if it has one (the process may already be gone). */
    static Optional<OomCounter> locate(int pid, Path procRoot, Path cgroupRoot) throws IOException {
        Path self = procRoot.resolve(Integer.toString(pid)).resolve("cgroup");
        boolean unified = MetricsFormat.detect(cgroupRoot) == MetricsFormat.CGROUP_V2;
        for (String line : Files.readAllLines(self)) {
            String[] f = line.split(":", 3);
            if (f.length < 3) {
                continue;
            }
            String path = f[2].startsWith("/") ? f[2].substring(1) : f[2];
            if (unified && f[0].equals("0") && f[1].isEmpty()) {
                return existing(cgroupRoot.resolve(path).resolve("memory.events"));
            }
            if (!unified && List.of(f[1].split(",")).contains("memory")) {
                return existing(cgroupRoot.resolve(f[1]).resolve(path).resolve("memory.oom_control"));
            }
        }
        return Optional.empty();
    }

    private static Optional<OomCounter> existing(Path file) {
        return Files.exists(file) ? Optional.of(new OomCounter(file)) : Optional.empty();
    }

    /** The current count; an IOException once the cgroup is removed. */
    long read() throws IOException {
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith(KEY)) {
                return Long.parseLong(line.substring(KEY.length()).strip());
            }
        }
        return 0;
    }
}
