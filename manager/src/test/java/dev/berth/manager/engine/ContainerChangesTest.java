package dev.berth.manager.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.manager.engine.ContainerChanges.Change;
import dev.berth.sys.FileSyscalls;
import dev.berth.sys.LinuxSyscalls;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docker diff's rules over an overlay upperdir (whiteouts, opaque directories) and over two trees. */
class ContainerChangesTest {
    private final LinuxSyscalls sys = LinuxSyscalls.loadBuilt();
    private final ContainerChanges changes = new ContainerChanges(null, null, sys, null, null, null);

    @TempDir
    Path dir;

    @Test
    void overlay_whiteoutsOpaqueDirsAddedAndModified() throws Exception {
        Path lower = Files.createDirectories(dir.resolve("lower"));
        Files.createDirectories(lower.resolve("bin"));
        Files.writeString(lower.resolve("bin/true"), "x");
        Files.createDirectories(lower.resolve("etc"));
        Files.writeString(lower.resolve("etc/passwd"), "root");
        Files.createDirectories(lower.resolve("var/cache"));
        Files.createDirectories(lower.resolve("same"));
        Path upper = Files.createDirectories(dir.resolve("upper"));
        Files.createDirectories(upper.resolve("bin"));
        sys.mknod(upper.resolve("bin/true").toString(), FileSyscalls.S_IFCHR, 0, 0);
        Files.createDirectories(upper.resolve("etc"));
        Files.writeString(upper.resolve("etc/passwd"), "root\nx");
        Files.writeString(upper.resolve("etc/x"), "new");
        Files.createDirectories(upper.resolve("var/cache"));
        sys.lsetxattr(upper.resolve("var/cache").toString(), "trusted.overlay.opaque",
                "y".getBytes(StandardCharsets.US_ASCII));
        Files.writeString(upper.resolve("var/cache/fresh"), "");
        Files.writeString(upper.resolve("new"), "");
        // a directory overlay copied up with its lower twin's metadata: not a change of its own
        Files.createDirectories(upper.resolve("same"));
        Files.setLastModifiedTime(upper.resolve("same"), Files.getLastModifiedTime(lower.resolve("same")));
        Files.setLastModifiedTime(upper.resolve("bin"), FileTime.fromMillis(0));
        Files.setLastModifiedTime(upper.resolve("etc"), FileTime.fromMillis(0));

        assertEquals(List.of(
                new Change("/bin", 0), new Change("/bin/true", 2),
                new Change("/etc", 0), new Change("/etc/passwd", 0), new Change("/etc/x", 1),
                new Change("/new", 1),
                new Change("/var", 0), new Change("/var/cache", 2), new Change("/var/cache/fresh", 1)),
                changes.overlay(List.of(lower), upper).stream().filter(c -> !c.path().equals("/same")).toList());
        // a directory unchanged itself is reported after what made it a parent of a change, as docker's walk does
        Files.setLastModifiedTime(upper.resolve("etc"), Files.getLastModifiedTime(lower.resolve("etc")));
        assertEquals(List.of(new Change("/etc/passwd", 0), new Change("/etc", 0), new Change("/etc/x", 1)),
                changes.overlay(List.of(lower), upper).stream().filter(c -> c.path().startsWith("/etc")).toList());
        assertEquals(List.of(), changes.overlay(List.of(lower), upper).stream()
                .filter(c -> c.path().equals("/same")).toList(), "same size, mode and time: no change");
    }

    @Test
    void compare_addedDeletedModified_withTheirParents() throws Exception {
        Path older = Files.createDirectories(dir.resolve("old"));
        Files.createDirectories(older.resolve("etc"));
        Files.writeString(older.resolve("etc/a"), "a");
        Files.writeString(older.resolve("gone"), "");
        Path newer = Files.createDirectories(dir.resolve("new"));
        Files.createDirectories(newer.resolve("etc"));
        Files.writeString(newer.resolve("etc/a"), "a changed");
        Files.createDirectories(newer.resolve("opt/app"));
        Files.writeString(newer.resolve("opt/app/run"), "");
        Files.setLastModifiedTime(newer.resolve("etc"), Files.getLastModifiedTime(older.resolve("etc")));

        assertEquals(List.of(new Change("/etc", 0), new Change("/etc/a", 0), new Change("/opt", 1),
                new Change("/opt/app", 1), new Change("/opt/app/run", 1), new Change("/gone", 2)),
                changes.compare(older, newer));
        assertEquals(List.of(new Change("/x", 1)), changes.compare(null, createWith(dir.resolve("only"), "x")));
    }

    private static Path createWith(Path d, String file) throws Exception {
        Files.createDirectories(d);
        Files.writeString(d.resolve(file), "");
        return d;
    }

    @Test
    void initPaths_andADirectoryChangedOnlyByThem_areLeftOut() {
        List<Change> raw = List.of(new Change("/dev", 1), new Change("/dev/shm", 1), new Change("/etc", 0),
                new Change("/etc/hostname", 1), new Change("/etc/hosts", 1), new Change("/proc", 1),
                new Change("/tmp", 0), new Change("/tmp/a", 1));
        assertEquals(List.of(new Change("/tmp", 0), new Change("/tmp/a", 1)),
                ContainerChanges.withoutInitPaths(raw));
        List<Change> real = List.of(new Change("/etc", 0), new Change("/etc/hosts", 1), new Change("/etc/x", 1));
        assertEquals(List.of(new Change("/etc", 0), new Change("/etc/x", 1)),
                ContainerChanges.withoutInitPaths(real));
    }
}
