package dev.berth.manager.engine;

import dev.berth.log.Log;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The kernel's count of OOM kills in a container's memory cgroup, read when its init has exited and before its
 * task is deleted (the delete removes the cgroup): {@code oom_kill} in {@code memory.events} (cgroup v2) or in
 * {@code memory.oom_control} (cgroup v1, kernel 4.13 and later). The cgroup is found from the init's
 * {@code /proc/<pid>/cgroup} at start, so it is right whatever cgroup parent or driver the runtime used.
 *
 * <p>Reading the counter at the exit rather than following the shim's {@code /tasks/oom} events: the exit is the
 * moment docker's {@code OOMKilled} is reported, and the counter cannot arrive after the exit was recorded, as an
 * event may (the shim publishes the OOM and the exit from different threads).
 */
final class OomKills {
    private static final Log LOG = Log.of(OomKills.class);

    private final Path counter;

    private OomKills(Path counter) {
        this.counter = counter;
    }

    /** The counter of {@code pid}'s memory cgroup on the host's {@code /proc} and {@code /sys/fs/cgroup}. */
    static Optional<OomKills> of(int pid) {
        return of(pid, Path.of("/proc"), Path.of("/sys/fs/cgroup"));
    }

    static Optional<OomKills> of(int pid, Path proc, Path cgroupRoot) {
        if (pid <= 0) {
            return Optional.empty();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(proc.resolve(Integer.toString(pid)).resolve("cgroup"));
        } catch (IOException e) {
            LOG.debug("oom counter: no cgroup file", "pid", pid, "error", e.getMessage());
            return Optional.empty();
        }
        boolean unified = Files.exists(cgroupRoot.resolve("cgroup.controllers"));
        for (String line : lines) {
            String[] f = line.split(":", 3);
            if (f.length < 3) {
                continue;
            }
            String path = f[2].startsWith("/") ? f[2].substring(1) : f[2];
            if (unified && f[0].equals("0") && f[1].isEmpty()) {
                return Optional.of(new OomKills(cgroupRoot.resolve(path).resolve("memory.events")));
            }
            if (!unified && List.of(f[1].split(",")).contains("memory")) {
                return Optional.of(new OomKills(cgroupRoot.resolve("memory").resolve(path)
                        .resolve("memory.oom_control")));
            }
        }
        return Optional.empty();
    }

    /** The kills counted so far; empty when the cgroup is gone or the kernel does not count them. */
    OptionalLong read() {
        try {
            for (String line : Files.readAllLines(counter)) {
                if (line.startsWith("oom_kill ")) {
                    return OptionalLong.of(Long.parseLong(line.substring("oom_kill ".length()).trim()));
                }
            }
        } catch (IOException | NumberFormatException e) {
            LOG.debug("oom counter unreadable", "file", counter, "error", e.getMessage());
        }
        return OptionalLong.empty();
    }
}
