package dev.berth.manager.snapshot.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.manager.fs.FileStat;
import dev.berth.manager.fs.FileType;
import dev.berth.manager.snapshot.Mount;
import dev.berth.manager.snapshot.Snapshotter;
import dev.berth.manager.snapshot.SnapshotterContract;
import dev.berth.sys.FileSyscalls;
import dev.berth.sys.LinuxSyscalls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CopySnapshotterTest extends SnapshotterContract {
    private final LinuxSyscalls sys = LinuxSyscalls.loadBuilt();

    @Override
    protected Snapshotter open(Path root) throws IOException {
        return CopySnapshotter.open(root, sys);
    }

    @Test
    void mounts_areAlwaysBinds() throws IOException {
        String fs1 = root.resolve("snapshots/1/fs").toString();
        String fs3 = root.resolve("snapshots/3/fs").toString();
        assertEquals(List.of(new Mount("bind", fs1, List.of("rw", "rbind"))), snapshotter.prepare("a", "", Map.of()));
        snapshotter.commit("l1", "a", Map.of());
        snapshotter.prepare("b", "l1", Map.of());
        assertEquals(List.of(new Mount("bind", fs3, List.of("ro", "rbind"))), snapshotter.view("v", "l1", Map.of()));
    }

    @Test
    void prepare_copiesEveryKindOfFileFaithfully() throws IOException {
        Path dir = mount(snapshotter.prepare("a", "", Map.of()));
        Path file = Files.writeString(dir.resolve("setuid"), "x");
        sys.lchown(file.toString(), 1234, 5678);
        sys.chmod(file.toString(), 04755);
        sys.lsetxattr(file.toString(), "user.note", "hello".getBytes(StandardCharsets.UTF_8));
        sys.lsetxattr(file.toString(), "trusted.berth", new byte[] {0, 1, 2});
        sys.lutimes(file.toString(), 1_000_000_000L, 123_456_789);
        Files.createLink(dir.resolve("hardlink"), file);
        Files.createSymbolicLink(dir.resolve("symlink"), Path.of("/etc/passwd"));
        sys.lchown(dir.resolve("symlink").toString(), 7, 8);
        sys.mknod(dir.resolve("fifo").toString(), FileSyscalls.S_IFIFO | 0600, 0, 0);
        sys.mknod(dir.resolve("null").toString(), FileSyscalls.S_IFCHR | 0666, 1, 3);
        Files.createDirectory(dir.resolve("sticky"));
        sys.chmod(dir.resolve("sticky").toString(), 01777);
        unmount(dir);
        snapshotter.commit("l1", "a", Map.of());

        Path copy = mount(snapshotter.prepare("b", "l1", Map.of()));
        FileStat st = FileStat.lstat(copy.resolve("setuid"));
        assertEquals(FileType.REGULAR, st.type());
        assertEquals(04755, st.mode());
        assertEquals(1234, st.uid());
        assertEquals(5678, st.gid());
        assertEquals(Instant.ofEpochSecond(1_000_000_000L, 123_456_789), st.mtime());
        assertEquals("hello", new String(sys.lgetxattr(copy.resolve("setuid").toString(), "user.note").orElseThrow(),
                StandardCharsets.UTF_8));
        assertEquals(3, sys.lgetxattr(copy.resolve("setuid").toString(), "trusted.berth").orElseThrow().length);
        assertEquals(st.inode(), FileStat.lstat(copy.resolve("hardlink")).inode(), "hard links stay links");
        assertEquals(Path.of("/etc/passwd"), Files.readSymbolicLink(copy.resolve("symlink")));
        assertEquals(7, FileStat.lstat(copy.resolve("symlink")).uid());
        assertEquals(FileType.FIFO, FileStat.lstat(copy.resolve("fifo")).type());
        FileStat dev = FileStat.lstat(copy.resolve("null"));
        assertEquals(FileType.CHAR_DEVICE, dev.type());
        assertEquals(1, dev.major());
        assertEquals(3, dev.minor());
        assertEquals(01777, FileStat.lstat(copy.resolve("sticky")).mode());
        assertTrue(Files.isRegularFile(Path.of("/etc/passwd")));
    }
}
