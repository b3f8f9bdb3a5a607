package dev.berth.manager.diff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.manager.fs.FileStat;
import dev.berth.manager.fs.FileType;
import dev.berth.manager.snapshot.overlay.OverlaySnapshotter;
import dev.berth.sys.LinuxSyscalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class LayerApplierTest {
    private static final String TAR = "application/vnd.oci.image.layer.v1.tar";

    @TempDir
    Path temp;
    private Path root;
    private final LinuxSyscalls sys = LinuxSyscalls.loadBuilt();
    private final SyscallMounter mounter = new SyscallMounter(sys);
    private final Deque<Path> mounted = new ArrayDeque<>();
    private LayerApplier applier;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectory(temp.resolve("root"));
        applier = new LayerApplier(sys, mounter, temp.resolve("scratch"));
    }

    @AfterEach
    void unmountAll() throws IOException {
        while (!mounted.isEmpty()) {
            mounter.unmount(mounted.pop());
        }
    }

    private AppliedLayer apply(byte[] tar, ApplyOptions options) throws IOException {
        return applier.apply(new ByteArrayInputStream(tar), TAR, root, options);
    }

    @Test
    void apply_createsEveryEntryTypeWithItsMetadata() throws IOException {
        byte[] tar = TestLayers.tar(b -> b
                .dir("etc/")
                .entry(new TarEntry("etc/passwd", TarEntry.Type.REGULAR, 04751, 1000, 2000, 4,
                        Instant.ofEpochSecond(1_000_000_000L), "", 0, 0,
                        Map.of("user.note", "n".getBytes(StandardCharsets.UTF_8))), "root".getBytes())
                .symlink("etc/link", "passwd")
                .hardLink("etc/hard", "etc/passwd")
                .entry(new TarEntry("fifo", TarEntry.Type.FIFO, 0600, 5, 6, 0, TestLayers.T, "", 0, 0, Map.of()),
                        new byte[0])
                .entry(new TarEntry("dev/null", TarEntry.Type.CHAR_DEVICE, 0666, 0, 0, 0, TestLayers.T, "", 1, 3,
                        Map.of()), new byte[0])
                .entry(new TarEntry("dev/loop", TarEntry.Type.BLOCK_DEVICE, 0660, 0, 6, 0, TestLayers.T, "", 7, 0,
                        Map.of()), new byte[0])
                .entry(new TarEntry("opt/", TarEntry.Type.DIRECTORY, 01777, 3, 4, 0,
                        Instant.ofEpochSecond(1_234_567_890L), "", 0, 0, Map.of()), new byte[0])
                .file("opt/inside", "x"));
        AppliedLayer layer = apply(tar, ApplyOptions.mergedView().allowingDevices(true));
        assertEquals(TestLayers.sha256(tar), layer.diffId().toString());
        assertEquals(layer.diffId(), layer.digest());
        assertEquals(tar.length, layer.size());

        FileStat passwd = FileStat.lstat(root.resolve("etc/passwd"));
        assertEquals(FileType.REGULAR, passwd.type());
        assertEquals(04751, passwd.mode());
        assertEquals(List.of(1000, 2000), List.of(passwd.uid(), passwd.gid()));
        assertEquals(Instant.ofEpochSecond(1_000_000_000L), passwd.mtime());
        assertEquals("root", Files.readString(root.resolve("etc/passwd")));
        assertArrayEquals("n".getBytes(), sys.lgetxattr(root.resolve("etc/passwd").toString(), "user.note")
                .orElseThrow());
        assertEquals(Path.of("passwd"), Files.readSymbolicLink(root.resolve("etc/link")));
        assertEquals(passwd.inode(), FileStat.lstat(root.resolve("etc/hard")).inode());
        FileStat fifo = FileStat.lstat(root.resolve("fifo"));
        assertEquals(FileType.FIFO, fifo.type());
        assertEquals(List.of(5, 6), List.of(fifo.uid(), fifo.gid()));
        FileStat dev = FileStat.lstat(root.resolve("dev/null"));
        assertEquals(List.of(FileType.CHAR_DEVICE, 1L, 3L), List.of(dev.type(), dev.major(), dev.minor()));
        assertEquals(FileType.BLOCK_DEVICE, FileStat.lstat(root.resolve("dev/loop")).type());
        FileStat opt = FileStat.lstat(root.resolve("opt"));
        assertEquals(01777, opt.mode());
        assertEquals(Instant.ofEpochSecond(1_234_567_890L), opt.mtime(), "set after its contents were written");
        assertEquals(0755, FileStat.lstat(root.resolve("dev")).mode(), "a directory the layer did not list");
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void apply_eachCompression_givesTheSameTreeAndTheDigestsOfBothForms(Compression compression)
            throws IOException {
        byte[] tar = TestLayers.tar(b -> b.dir("a/").file("a/b", "content".repeat(1000)).symlink("c", "a/b"));
        byte[] blob = TestLayers.compress(tar, compression);
        AppliedLayer layer = applier.apply(new ByteArrayInputStream(blob), compression.mediaType(), root,
                ApplyOptions.mergedView());
        assertEquals(TestLayers.sha256(tar), layer.diffId().toString());
        assertEquals(TestLayers.sha256(blob), layer.digest().toString());
        assertEquals(blob.length, layer.size());
        assertEquals(tar.length, layer.uncompressedSize());
        assertEquals("content".repeat(1000), Files.readString(root.resolve("c")));
    }

    @Test
    void apply_dockerGzipMediaType_isGzip() throws IOException {
        byte[] tar = TestLayers.tar(b -> b.file("f", "docker"));
        AppliedLayer layer = applier.apply(new ByteArrayInputStream(TestLayers.compress(tar, Compression.GZIP)),
                "application/vnd.docker.image.rootfs.diff.tar.gzip", root, ApplyOptions.mergedView());
        assertEquals(TestLayers.sha256(tar), layer.diffId().toString());
        assertEquals("docker", Files.readString(root.resolve("f")));
        assertEquals(ErrorKind.INVALID_ARGUMENT, assertThrows(BerthException.class, () -> applier.apply(
                new ByteArrayInputStream(tar), "text/plain", root, ApplyOptions.mergedView())).kind());
    }

    @Test
    void apply_existingPaths_areReplacedAsTarDoes() throws IOException {
        Path outside = Files.writeString(temp.resolve("outside"), "keep");
        apply(TestLayers.tar(b -> b.symlink("link", outside.toString()).dir("d/").file("d/f", "1")
                .file("was-file", "1")), ApplyOptions.mergedView());
        apply(TestLayers.tar(b -> b.file("link", "replaced").file("d", "now a file").dir("was-file/")),
                ApplyOptions.mergedView());
        assertEquals("keep", Files.readString(outside));
        assertEquals("replaced", Files.readString(root.resolve("link")));
        assertFalse(Files.isSymbolicLink(root.resolve("link")));
        assertEquals("now a file", Files.readString(root.resolve("d")));
        assertTrue(Files.isDirectory(root.resolve("was-file")));
    }

    private void assertRefused(byte[] tar, String entry) {
        BerthException e = assertThrows(BerthException.class, () -> apply(tar, ApplyOptions.mergedView()));
        assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains(entry), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"../escape", "a/../../escape", "/../escape"})
    void apply_pathLeavingTheRoot_isRefused(String name) throws IOException {
        assertRefused(TestLayers.tar(b -> b.file(name, "x")), name);
        assertFalse(Files.exists(temp.resolve("escape")));
    }

    @Test
    void apply_absolutePath_isRelativeToTheRoot() throws IOException {
        apply(TestLayers.tar(b -> b.file("/etc/abs", "x")), ApplyOptions.mergedView());
        assertEquals("x", Files.readString(root.resolve("etc/abs")));
    }

    @Test
    void apply_fileThroughAnAbsoluteSymlink_staysInsideTheRoot() throws IOException {
        Path outside = Files.createDirectory(temp.resolve("outside"));
        apply(TestLayers.tar(b -> b.symlink("evil", outside.toString()).file("evil/pwned", "x")
                .symlink("up", "../../../..").file("up/pwned2", "y")), ApplyOptions.mergedView());
        try (var s = Files.list(outside)) {
            assertEquals(0, s.count(), "nothing written through the symlink to the host");
        }
        assertFalse(Files.exists(temp.resolve("pwned2")));
        // as openat2(RESOLVE_IN_ROOT) and containerd's fs.RootPath: the link's target is taken inside the root
        assertEquals("x", Files.readString(root.resolve(outside.toString().substring(1)).resolve("pwned")));
        assertEquals("y", Files.readString(root.resolve("pwned2")));
    }

    @Test
    void apply_hardLinkOutOfTheTree_isRefused() throws IOException {
        assertRefused(TestLayers.tar(b -> b.hardLink("passwd", "../../../etc/passwd")), "passwd");
        assertFalse(Files.exists(root.resolve("passwd")));
        assertRefused(TestLayers.tar(b -> b.symlink("etc", "/etc").hardLink("shadow", "etc/shadow")), "shadow");
        assertFalse(Files.exists(root.resolve("shadow")));
    }

    @Test
    void apply_deviceWithoutPrivilege_isRefused() throws IOException {
        byte[] tar = TestLayers.tar(b -> b.entry(new TarEntry("dev/sda", TarEntry.Type.BLOCK_DEVICE, 0660, 0, 0, 0,
                TestLayers.T, "", 8, 0, Map.of()), new byte[0]));
        BerthException e = assertThrows(BerthException.class, () -> apply(tar, ApplyOptions.mergedView()));
        assertEquals("apply layer entry dev/sda: device nodes are not allowed (allowDevices is off)",
                e.getMessage());
        assertFalse(Files.exists(root.resolve("dev/sda")));
    }

    /** Lower layer: f, keep, d/{x,y}, e/z; upper: deletes f, makes d opaque with d/new, adds g. */
    private static byte[] lowerLayer() throws IOException {
        return TestLayers.tar(b -> b.file("f", "f").file("keep", "keep").dir("d/").file("d/x", "x")
                .file("d/y", "y").dir("e/").file("e/z", "z"));
    }

    private static byte[] upperLayer() throws IOException {
        return TestLayers.tar(b -> b.whiteout("", "f").dir("d/").opaque("d/").file("d/new", "new")
                .whiteout("e/", "z").file("g", "g"));
    }

    private void assertUpperApplied(Path view) throws IOException {
        assertFalse(Files.exists(view.resolve("f")));
        assertEquals("keep", Files.readString(view.resolve("keep")));
        assertFalse(Files.exists(view.resolve("d/x")));
        assertFalse(Files.exists(view.resolve("d/y")));
        assertEquals("new", Files.readString(view.resolve("d/new")));
        assertTrue(Files.isDirectory(view.resolve("e")));
        assertFalse(Files.exists(view.resolve("e/z")));
        assertEquals("g", Files.readString(view.resolve("g")));
    }

    private Path mount(List<dev.berth.manager.snapshot.Mount> mounts) throws IOException {
        Path target = Files.createTempDirectory(temp, "mnt");
        mounter.mount(mounts, target);
        mounted.push(target);
        return target;
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void whiteoutsAndOpaqueDirectories_overATwoLayerStack(boolean upperdirFastPath) throws IOException {
        try (OverlaySnapshotter snapshots = OverlaySnapshotter.open(temp.resolve("overlay"))) {
            applier.apply(new ByteArrayInputStream(lowerLayer()), TAR, snapshots.prepare("l1-a", "", Map.of()),
                    false);
            snapshots.commit("l1", "l1-a", Map.of());
            var mounts = snapshots.prepare("l2-a", "l1", Map.of());
            if (upperdirFastPath) {
                applier.apply(new ByteArrayInputStream(upperLayer()), TAR, mounts, false);
                Path upper = temp.resolve("overlay/snapshots/2/fs");
                FileStat wh = FileStat.lstat(upper.resolve("f"));
                assertTrue(wh.isOverlayWhiteout(), "an overlay whiteout in the upperdir");
                assertEquals("y", new String(sys.lgetxattr(upper.resolve("d").toString(),
                        "trusted.overlay.opaque").orElseThrow()));
            } else {
                Path merged = mount(mounts);
                applier.apply(new ByteArrayInputStream(upperLayer()), TAR, merged, ApplyOptions.mergedView());
            }
            snapshots.commit("l2", "l2-a", Map.of());
            assertUpperApplied(mount(snapshots.view("v", "l2", Map.of())));
        }
    }
}
