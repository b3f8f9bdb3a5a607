package dev.berth.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The mount table of the suite's own mount namespace, to prove a runtime left nothing mounted on the host. */
public final class HostMounts {
    private HostMounts() {}

    /** Mount points at or below {@code dir} in {@code /proc/self/mountinfo}. */
    public static List<String> under(Path dir) {
        String prefix = dir.toAbsolutePath().normalize().toString();
        try {
            return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                    .map(line -> line.split(" ")[4])
                    .filter(mp -> mp.equals(prefix) || mp.startsWith(prefix + "/"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
