package dev.berth.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The host's view of a container's cgroup, on cgroup v1 (one hierarchy per controller under {@code /sys/fs/cgroup},
 * possibly with a v2 {@code unified} one beside them) or v2 (one hierarchy at {@code /sys/fs/cgroup}).
 */
public final class CgroupFs {
    public static final Path MOUNT = Path.of("/sys/fs/cgroup");

    private CgroupFs() {}

    public static boolean isV2() {
        return Files.exists(MOUNT.resolve("cgroup.controllers"));
    }

    /** Every existing directory for {@code cgroupsPath}, in every hierarchy: empty once the container is gone. */
    public static List<Path> existingDirs(String cgroupsPath) {
        String rel = cgroupsPath.replaceFirst("^/+", "");
        List<Path> found = new ArrayList<>();
        if (Files.isDirectory(MOUNT.resolve(rel))) {
            found.add(MOUNT.resolve(rel));
        }
        try (Stream<Path> hierarchies = Files.list(MOUNT)) {
            hierarchies.filter(Files::isDirectory)
                    .map(h -> h.resolve(rel))
                    .filter(Files::isDirectory)
                    .forEach(found::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    /** The file that holds the memory limit: v1 {@code memory.limit_in_bytes} or v2 {@code memory.max}. */
    public static Path memoryLimitFile(String cgroupsPath) {
        String rel = cgroupsPath.replaceFirst("^/+", "");
        return isV2() ? MOUNT.resolve(rel).resolve("memory.max")
                : MOUNT.resolve("memory").resolve(rel).resolve("memory.limit_in_bytes");
    }

    /** The pids of the container's processes as the kernel lists them (memory controller on v1). */
    public static Optional<Path> procsFile(String cgroupsPath) {
        String rel = cgroupsPath.replaceFirst("^/+", "");
        Path p = isV2() ? MOUNT.resolve(rel).resolve("cgroup.procs")
                : MOUNT.resolve("pids").resolve(rel).resolve("cgroup.procs");
        return Files.exists(p) ? Optional.of(p) : Optional.empty();
    }

    public static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes leftover (empty) cgroup directories, deepest first; clean-up after a runtime that leaked them. */
    public static void removeLeftovers(String cgroupsPath) {
        for (Path dir : existingDirs(cgroupsPath)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                List<Path> dirs = walk.filter(Files::isDirectory).sorted((a, b) -> b.getNameCount() - a.getNameCount())
                        .toList();
                for (Path d : dirs) {
                    Files.deleteIfExists(d);
                }
            } catch (IOException e) {
                // A cgroup that still has processes cannot be removed; the test's failure already says why.
            }
        }
    }
}
