package dev.berth.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The host's processes, to prove a failed runtime call left none behind. */
public final class HostProcesses {
    private HostProcesses() {}

    /**
     * Pids of processes whose root directory is {@code rootfs} (a container's processes after pivot_root) or whose
     * command line mentions {@code marker} (a runtime helper still working on that bundle or id).
     */
    public static List<Long> related(Path rootfs, String marker) {
        String root = rootfs.toAbsolutePath().normalize().toString();
        List<Long> found = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                long pid = Long.parseLong(p.getFileName().toString());
                if (pid == self) {
                    continue;
                }
                try {
                    String target = Files.readSymbolicLink(p.resolve("root")).toString();
                    String cmdline = new String(Files.readAllBytes(p.resolve("cmdline"))).replace('\0', ' ');
                    if (target.equals(root) || cmdline.contains(marker)) {
                        found.add(pid);
                    }
                } catch (IOException e) {
                    // The process exited while being looked at, or is a kernel thread: not ours either way.
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }
}
