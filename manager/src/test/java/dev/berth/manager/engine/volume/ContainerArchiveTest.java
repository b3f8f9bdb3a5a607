package dev.berth.manager.engine.volume;

import static dev.berth.manager.engine.volume.VolumesTest.assertKind;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.manager.diff.TarEntry;
import dev.berth.manager.diff.TarReader;
import dev.berth.manager.diff.TarWriter;
import dev.berth.manager.fs.FileStat;
import dev.berth.model.PathStat;
import dev.berth.sys.LinuxSyscalls;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docker cp's stat, get and put over a rootfs with a volume and a bind, and the ways out that must stay shut. */
class ContainerArchiveTest {
    static final LinuxSyscalls SYS = LinuxSyscalls.loadBuilt();
    static final Instant T = Instant.parse("2024-05-06T07:08:09.120Z");

    @TempDir
    Path tmp;
    Path rootfs;
    Path volume;
    Path bind;
    Path outside;
    List<ContainerMount> mounts;
    final ContainerArchive archive = new ContainerArchive(SYS);

    @BeforeEach
    void layout() throws IOException {
        rootfs = Files.createDirectories(tmp.resolve("rootfs"));
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/hostname"), "box\n");
        SYS.lutimes(rootfs.resolve("etc/hostname").toString(), T.getEpochSecond(), T.getNano());
        Files.createDirectories(rootfs.resolve("data")); // shadowed by the volume
        Files.writeString(rootfs.resolve("data/underneath"), "rootfs");
        volume = Files.createDirectories(tmp.resolve("volumes/v1/_data"));
        Files.writeString(volume.resolve("in-volume"), "volume");
        bind = Files.createDirectories(tmp.resolve("host-bind"));
        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "host secret");
        mounts = List.of(
                new ContainerMount("volume", "v1", volume.toString(), "/data", "z", true, "", false, List.of()),
                new ContainerMount("bind", "", bind.toString(), "/etc/ro", "ro", false, "rprivate", false,
                        List.of()),
                new ContainerMount("tmpfs", "", "", "/run", "", true, "", false, List.of()));
    }

    @Test
    void stat_ofAFileAndADirectoryInGoFileModeBits() throws IOException {
        SYS.chmod(rootfs.resolve("etc/hostname").toString(), 04755);
        PathStat f = archive.stat(rootfs, mounts, "/etc/hostname");
        assertEquals(new PathStat("hostname", 4, 0755 | PathStat.SETUID, "2024-05-06T07:08:09.12Z", ""), f);
        PathStat d = archive.stat(rootfs, mounts, "etc/");
        assertEquals("etc", d.name());
        assertTrue(d.isDirectory());
        assertEquals(PathStat.DIR | (FileStat.lstat(rootfs.resolve("etc")).mode() & 0777), d.mode());
        assertEquals(".", archive.stat(rootfs, mounts, "/").name());
    }

    @Test
    void stat_ofASymlinkNamesItsTargetInsideTheContainer() throws IOException {
        Files.createSymbolicLink(rootfs.resolve("etc/escape"), Path.of("../../../../outside/secret"));
        PathStat s = archive.stat(rootfs, mounts, "/etc/escape");
        assertTrue(s.isSymlink());
        assertEquals("/outside/secret", s.linkTarget());
        Files.createSymbolicLink(rootfs.resolve("etc/to-volume"), Path.of("/data/in-volume"));
        assertEquals("/data/in-volume", archive.stat(rootfs, mounts, "/etc/to-volume").linkTarget());
    }

    @Test
    void stat_readsThroughMountsAndRefusesWhatIsNotThere() throws IOException {
        assertEquals(6, archive.stat(rootfs, mounts, "/data/in-volume").size());
        assertKind(ErrorKind.NOT_FOUND, "stat /data/underneath: no such file or directory in the container",
                () -> archive.stat(rootfs, mounts, "/data/underneath"));
        assertKind(ErrorKind.FAILED_PRECONDITION, "stat /run/x: /run is a tmpfs mount, which is not reachable from"
                + " the host", () -> archive.stat(rootfs, mounts, "/run/x"));
    }

    @Test
    void get_ofADirectoryHasItsNameOnTopAndIncludesItsMounts() throws IOException {
        Files.writeString(bind.resolve("b"), "bound");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PathStat s = archive.get(rootfs, mounts, "/etc", out);
        assertEquals("etc", s.name());
        Map<String, String> entries = read(out.toByteArray());
        assertEquals(List.of("etc/", "etc/hostname", "etc/ro/", "etc/ro/b"), List.copyOf(entries.keySet()));
        assertEquals("box\n", entries.get("etc/hostname"));
        assertEquals("bound", entries.get("etc/ro/b"));
    }

    @Test
    void get_ofAVolumePathReadsTheVolumeNotTheRootfsUnderneath() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        archive.get(rootfs, mounts, "/data", out);
        assertEquals(Map.of("data/", "", "data/in-volume", "volume"), read(out.toByteArray()));
    }

    @Test
    void get_ofAFileOrSymlinkIsOneEntry() throws IOException {
        Files.createSymbolicLink(rootfs.resolve("etc/link"), Path.of("/etc/hostname"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        archive.get(rootfs, mounts, "/etc/link", out);
        TarReader r = new TarReader(new ByteArrayInputStream(out.toByteArray()));
        TarEntry e = r.next().orElseThrow();
        assertEquals("link", e.name());
        assertEquals(TarEntry.Type.SYMLINK, e.type());
        assertEquals("/etc/hostname", e.linkName());
        assertTrue(r.next().isEmpty());
    }

    @Test
    void get_throughALinkOutOfTheRootStaysInside() throws IOException {
        Files.createSymbolicLink(rootfs.resolve("escape"), Path.of("/../../../../../" + outside));
        assertKind(ErrorKind.NOT_FOUND, "archive /escape/secret: no such file or directory in the container",
                () -> archive.get(rootfs, mounts, "/escape/secret", new ByteArrayOutputStream()));
    }

    @Test
    void put_extractsIntoTheRootfsAndIntoVolumes() throws IOException {
        byte[] tar = tar(
                dir("x/"), file("x/a", "A", 0640, 1000, 1001),
                file("data/from-cp", "into the volume", 0644, 0, 0),
                symlink("x/l", "/etc/hostname"));
        archive.put(rootfs, mounts, "/", new ByteArrayInputStream(tar), ContainerArchive.ExtractOptions.DEFAULT);
        assertEquals("A", Files.readString(rootfs.resolve("x/a")));
        FileStat a = FileStat.lstat(rootfs.resolve("x/a"));
        assertEquals(0640, a.mode());
        assertEquals(1000, a.uid()); // the archive's owners, docker's default
        assertEquals(T.getEpochSecond(), a.mtime().getEpochSecond());
        assertEquals("into the volume", Files.readString(volume.resolve("from-cp")));
        assertFalse(Files.exists(rootfs.resolve("data/from-cp")));
        assertEquals(Path.of("/etc/hostname"), Files.readSymbolicLink(rootfs.resolve("x/l")));
    }

    @Test
    void put_withAnOwnerChownsEverything() throws IOException {
        archive.put(rootfs, mounts, "/etc", new ByteArrayInputStream(tar(file("f", "x", 0600, 5, 6))),
                new ContainerArchive.ExtractOptions(false, Optional.of(new ContainerArchive.Owner(33, 34)), false));
        FileStat f = FileStat.lstat(rootfs.resolve("etc/f"));
        assertEquals(33, f.uid());
        assertEquals(34, f.gid());
    }

    @Test
    void put_refusesAMissingOrNonDirectoryTarget() {
        assertKind(ErrorKind.NOT_FOUND, "extract to /nope: no such file or directory", () -> archive.put(rootfs,
                mounts, "/nope", new ByteArrayInputStream(tar()), ContainerArchive.ExtractOptions.DEFAULT));
        assertKind(ErrorKind.INVALID_ARGUMENT, "extract to /etc/hostname: extraction point is not a directory",
                () -> archive.put(rootfs, mounts, "/etc/hostname", new ByteArrayInputStream(tar()),
                        ContainerArchive.ExtractOptions.DEFAULT));
    }

    @Test
    void put_refusesReadOnlyMountsAndARreadOnlyRootfs() {
        assertKind(ErrorKind.FAILED_PRECONDITION, "extract to /etc/ro: mounted volume is marked read-only",
                () -> archive.put(rootfs, mounts, "/etc/ro", new ByteArrayInputStream(tar(file("f", "x", 0644, 0,
                        0))), ContainerArchive.ExtractOptions.DEFAULT));
        assertKind(ErrorKind.FAILED_PRECONDITION, "extract to /etc: container rootfs is marked read-only",
                () -> archive.put(rootfs, mounts, "/etc", new ByteArrayInputStream(tar()),
                        new ContainerArchive.ExtractOptions(false, Optional.empty(), true)));
        assertKind(ErrorKind.FAILED_PRECONDITION, "extract to ro/f: mounted volume is marked read-only",
                () -> archive.put(rootfs, mounts, "/etc", new ByteArrayInputStream(tar(file("ro/f", "x", 0644, 0,
                        0))), ContainerArchive.ExtractOptions.DEFAULT));
        assertFalse(Files.exists(bind.resolve("f")));
    }

    @Test
    void put_entriesCannotLeaveTheRoot() throws IOException {
        assertThrows(BerthException.class, () -> archive.put(rootfs, mounts, "/etc",
                new ByteArrayInputStream(tar(file("../../../../outside/evil", "x", 0644, 0, 0))),
                ContainerArchive.ExtractOptions.DEFAULT));
        // a link in the container pointing out of it, then a file through it: lands inside the rootfs
        Files.createSymbolicLink(rootfs.resolve("etc/out"), outside);
        archive.put(rootfs, mounts, "/etc", new ByteArrayInputStream(tar(file("out/evil", "x", 0644, 0, 0))),
                ContainerArchive.ExtractOptions.DEFAULT);
        assertFalse(Files.exists(outside.resolve("evil")));
        assertTrue(Files.exists(rootfs.resolve(outside.toString().substring(1)).resolve("evil")));
        // the archive's own link, then a file through it
        archive.put(rootfs, mounts, "/", new ByteArrayInputStream(tar(symlink("hop", "../../../../.."),
                file("hop/" + outside.toString().substring(1) + "/evil2", "x", 0644, 0, 0))),
                ContainerArchive.ExtractOptions.DEFAULT);
        assertFalse(Files.exists(outside.resolve("evil2")));
        // a hard link to a file outside
        assertThrows(BerthException.class, () -> archive.put(rootfs, mounts, "/", new ByteArrayInputStream(tar(
                hardLink("stolen", "hop/" + outside.toString().substring(1) + "/secret"))),
                ContainerArchive.ExtractOptions.DEFAULT));
        assertFalse(Files.exists(rootfs.resolve("stolen")));
        assertEquals("host secret", Files.readString(outside.resolve("secret")));
    }

    @Test
    void put_noOverwriteDirNonDirRefusesEitherReplacement() throws IOException {
        ContainerArchive.ExtractOptions strict = new ContainerArchive.ExtractOptions(true, Optional.empty(), false);
        assertKind(ErrorKind.INVALID_ARGUMENT, "cannot overwrite directory \"/etc\" with non-directory \"etc\"",
                () -> archive.put(rootfs, mounts, "/", new ByteArrayInputStream(tar(file("etc", "x", 0644, 0, 0))),
                        strict));
        assertKind(ErrorKind.INVALID_ARGUMENT,
                "cannot overwrite non-directory \"/etc/hostname\" with directory \"hostname/\"",
                () -> archive.put(rootfs, mounts, "/etc", new ByteArrayInputStream(tar(dir("hostname/"))), strict));
        archive.put(rootfs, mounts, "/etc", new ByteArrayInputStream(tar(dir("hostname/"))),
                ContainerArchive.ExtractOptions.DEFAULT);
        assertTrue(Files.isDirectory(rootfs.resolve("etc/hostname")));
    }

    @Test
    void getThenPut_roundTripsATree() throws IOException {
        Files.createDirectories(rootfs.resolve("src/sub"));
        Files.writeString(rootfs.resolve("src/sub/f"), "content");
        Files.createLink(rootfs.resolve("src/hard"), rootfs.resolve("src/sub/f"));
        SYS.mknod(rootfs.resolve("src/fifo").toString(), LinuxSyscalls.S_IFIFO | 0600, 0, 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        archive.get(rootfs, mounts, "/src", out);
        archive.put(rootfs, mounts, "/data", new ByteArrayInputStream(out.toByteArray()),
                ContainerArchive.ExtractOptions.DEFAULT);
        assertEquals("content", Files.readString(volume.resolve("src/sub/f")));
        assertEquals(FileStat.lstat(volume.resolve("src/sub/f")).inode(),
                FileStat.lstat(volume.resolve("src/hard")).inode());
        assertEquals(dev.berth.manager.fs.FileType.FIFO, FileStat.lstat(volume.resolve("src/fifo")).type());
    }

    // ---- tar helpers ----

    record Item(TarEntry entry, byte[] data) {
    }

    static Item dir(String name) {
        return new Item(new TarEntry(name, TarEntry.Type.DIRECTORY, 0755, 0, 0, 0, T, "", 0, 0, Map.of()),
                new byte[0]);
    }

    static Item file(String name, String content, int mode, int uid, int gid) {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        return new Item(new TarEntry(name, TarEntry.Type.REGULAR, mode, uid, gid, b.length, T, "", 0, 0, Map.of()),
                b);
    }

    static Item symlink(String name, String target) {
        return new Item(TarEntry.symlink(name, target, T), new byte[0]);
    }

    static Item hardLink(String name, String target) {
        return new Item(TarEntry.hardLink(name, target, T), new byte[0]);
    }

    static byte[] tar(Item... items) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TarWriter w = new TarWriter(out);
        try {
            for (Item i : items) {
                w.write(i.entry(), new ByteArrayInputStream(i.data()));
            }
            w.finish();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static Map<String, String> read(byte[] tar) throws IOException {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        TarReader r = new TarReader(new ByteArrayInputStream(tar));
        for (Optional<TarEntry> e = r.next(); e.isPresent(); e = r.next()) {
            out.put(e.get().name(), new String(r.content().readAllBytes(), StandardCharsets.UTF_8));
        }
        return out;
    }

    static List<String> names(byte[] tar) throws IOException {
        return new ArrayList<>(read(tar).keySet());
    }
}
