package dev.berth.it.manager.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The shim processes of one task of a test's berthd, found by command line: never anyone else's. */
public final class ShimProcesses {
    private ShimProcesses() {}

    /**
     * The pids of processes whose command line names a path under {@code dir} (the test's berthd) and {@code -id
     * <id>}, and ends with {@code verb} unless that is empty ({@code serve}: the serving shim).
     */
    public static List<Long> of(Path dir, String id, String verb) {
        String marker = dir + "/";
        List<Long> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                List<String> args;
                try {
                    args = List.of(new String(Files.readAllBytes(proc.resolve("cmdline"))).split("\0"));
                } catch (IOException e) {
                    continue; // exited meanwhile
                }
                int flag = args.indexOf("-id");
                if (flag >= 0 && flag + 1 < args.size() && args.get(flag + 1).equals(id)
                        && args.stream().anyMatch(a -> a.startsWith(marker))
                        && (verb.isEmpty() || args.getLast().equals(verb))) {
                    found.add(Long.parseLong(proc.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }
}
