package dev.berth.runtime.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The calling process's own cgroups, from a file in {@code /proc/self/cgroup} format. */
final class OwnCgroups {

    /** One line: {@code hierarchy-id:controllers:path}; controllers is empty for the v2 unified hierarchy. */
    private record Entry(Set<String> controllers, String path) {}

    private final List<Entry> entries;

    private OwnCgroups(List<Entry> entries) {
        this.entries = entries;
    }

    static OwnCgroups read(Path procSelfCgroup) {
        try {
            return parse(Files.readString(procSelfCgroup));
        } catch (IOException e) {
            throw HostCgroupFs.failure("read", procSelfCgroup, e);
        }
    }

    static OwnCgroups parse(String text) {
        List<Entry> entries = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.split(":", 3);
            if (f.length == 3) {
                entries.add(new Entry(f[1].isEmpty() ? Set.of() : Set.of(f[1].split(",")), f[2]));
            }
        }
        return new OwnCgroups(entries);
    }

    /** The own cgroup path in the hierarchy carrying exactly {@code controllers} (empty set: the unified one). */
    Optional<String> pathOf(Set<String> controllers) {
        return entries.stream().filter(e -> e.controllers().equals(controllers)).map(Entry::path).findFirst();
    }
}
