package dev.berth.manager.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.manager.snapshot.Mount;
import dev.berth.manager.snapshot.Snapshotter;
import dev.berth.manager.snapshot.copy.CopySnapshotter;
import dev.berth.manager.snapshot.overlay.OverlaySnapshotter;
import dev.berth.sys.FileSyscalls;
import dev.berth.sys.LinuxSyscalls;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Apply layer A, change a child snapshot, compute the diff, apply it onto a fresh child of A: both children must
 * be the same tree. Runs over overlay (upperdir walk) and copy (double walk) snapshotters, and over overlay with
 * the double walk too.
 */
class DiffRoundTripTest {
    @TempDir
    Path temp;
    private final LinuxSyscalls sys = LinuxSyscalls.loadBuilt();
    private final SyscallMounter mounter = new SyscallMounter(sys);
    private final Deque<Path> mounted = new ArrayDeque<>();

    @AfterEach
    void unmountAll() throws IOException {
        while (!mounted.isEmpty()) {
            mounter.unmount(mounted.pop());
        }
    }

    private Path mount(List<Mount> mounts) throws IOException {
        Path target = Files.createTempDirectory(temp, "mnt");
        mounter.mount(mounts, target);
        mounted.push(target);
        return target;
    }

    private static byte[] layerA() throws IOException {
        return TestLayers.tar(b -> b
                .dir("etc/").file("etc/hostname", "a").file("etc/delete-me", "x").file("etc/change-me", "old")
                .dir("opaque/").file("opaque/old1", "1").dir("opaque/sub/").file("opaque/sub/old2", "2")
                .dir("deep/").dir("deep/er/").file("deep/er/gone", "g")
                .symlink("etc/link", "hostname")
                .entry(new TarEntry("bin/tool", TarEntry.Type.REGULAR, 04755, 0, 0, 4, TestLayers.T, "", 0, 0,
                        Map.of("user.a", new byte[] {1})), "tool".getBytes(StandardCharsets.UTF_8))
                .hardLink("bin/tool-link", "bin/tool"));
    }

    /** Adds, deletes, changes content and metadata, and replaces a directory wholesale (opaque in overlay). */
    private void modify(Path dir, FileSyscalls fs) throws IOException {
        Files.writeString(dir.resolve("etc/new"), "added");
        Files.delete(dir.resolve("etc/delete-me"));
        Files.writeString(dir.resolve("etc/change-me"), "new content");
        fs.chmod(dir.resolve("etc/hostname").toString(), 0600);
        fs.lchown(dir.resolve("etc/hostname").toString(), 10, 20);
        fs.lsetxattr(dir.resolve("bin/tool").toString(), "user.b", new byte[] {2, 3});
        deleteTree(dir.resolve("opaque"));
        Files.createDirectories(dir.resolve("opaque/sub"));
        Files.writeString(dir.resolve("opaque/sub/fresh"), "fresh");
        deleteTree(dir.resolve("deep/er"));
        Files.createSymbolicLink(dir.resolve("etc/link2"), Path.of("/nowhere"));
        Files.createLink(dir.resolve("etc/new-link"), dir.resolve("etc/new"));
        fs.mknod(dir.resolve("etc/fifo").toString(), FileSyscalls.S_IFIFO | 0640, 0, 0);
        Files.delete(dir.resolve("etc/link"));
        Files.writeString(dir.resolve("etc/link"), "link became a file");
        // whole-second times, as a layer carries them, so that the comparison can include them
        for (String p : List.of("etc/new", "etc/change-me", "opaque/sub/fresh", "etc/link", "etc/fifo")) {
            fs.lutimes(dir.resolve(p).toString(), Instant.now().getEpochSecond(), 0);
        }
        fs.lutimes(dir.resolve("etc/link2").toString(), 1_600_000_000L, 0);
    }

    private static void deleteTree(Path p) throws IOException {
        if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> children = Files.list(p)) {
                for (Path c : children.toList()) {
                    deleteTree(c);
                }
            }
        }
        Files.delete(p);
    }

    private Snapshotter open(String kind) throws IOException {
        return kind.equals("overlay") ? OverlaySnapshotter.open(temp.resolve("snapshots"))
                : CopySnapshotter.open(temp.resolve("snapshots"), sys);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({"overlay, mounts, GZIP", "overlay, directories, NONE", "copy, mounts, ZSTD", "copy, mounts, NONE"})
    void computeThenApply_reproducesTheChangedTree(String kind, String how, Compression compression)
            throws IOException {
        Path scratch = temp.resolve("scratch");
        LayerApplier applier = new LayerApplier(sys, mounter, scratch);
        LayerComputer computer = new LayerComputer(sys, mounter, scratch);
        try (Snapshotter snapshots = open(kind)) {
            applier.apply(new ByteArrayInputStream(layerA()), Compression.NONE.mediaType(),
                    snapshots.prepare("a-active", "", Map.of()), false);
            snapshots.commit("a", "a-active", Map.of());

            List<Mount> child = snapshots.prepare("child", "a", Map.of());
            Path childDir = mount(child);
            modify(childDir, sys);

            ByteArrayOutputStream layer = new ByteArrayOutputStream();
            List<Mount> lower = snapshots.view("a-view", "a", Map.of());
            ComputedLayer computed = how.equals("mounts")
                    ? computer.compute(lower, child, compression, layer)
                    : computer.compareDirectories(mount(lower), childDir, compression, layer);
            byte[] blob = layer.toByteArray();
            assertEquals(TestLayers.sha256(blob), computed.digest().toString());
            assertEquals(blob.length, computed.size());
            assertEquals(compression.mediaType(), computed.mediaType());
            List<String> names = TestLayers.names(blob, compression);
            if (kind.equals("overlay") && how.equals("mounts")) {
                // the upperdir walk: overlay's opaque directory becomes the opaque marker
                assertTrue(names.contains("opaque/.wh..wh..opq"), names.toString());
            } else {
                // the double walk: one whiteout per deleted entry
                assertTrue(names.contains("opaque/.wh.old1"), names.toString());
            }
            assertTrue(names.contains("etc/.wh.delete-me") && names.contains("deep/.wh.er"), names.toString());

            List<Mount> fresh = snapshots.prepare("fresh", "a", Map.of());
            AppliedLayer applied = applier.apply(new ByteArrayInputStream(blob), computed.mediaType(), fresh, false);
            assertEquals(computed.diffId(), applied.diffId());
            assertEquals(computed.digest(), applied.digest());

            Map<String, String> expected = TestLayers.describe(childDir, sys);
            Map<String, String> actual = TestLayers.describe(mount(snapshots.mounts("fresh")), sys);
            assertEquals(String.join("\n", expected.keySet()), String.join("\n", actual.keySet()));
            assertEquals(expected, actual);
            assertTrue(expected.containsKey("opaque/sub/fresh") && !expected.containsKey("opaque/old1"));
        }
    }

    @ParameterizedTest
    @CsvSource({"overlay", "copy"})
    void compute_isReproducible(String kind) throws IOException {
        Path scratch = temp.resolve("scratch");
        LayerApplier applier = new LayerApplier(sys, mounter, scratch);
        LayerComputer computer = new LayerComputer(sys, mounter, scratch);
        try (Snapshotter snapshots = open(kind)) {
            List<Mount> a = snapshots.prepare("a", "", Map.of());
            applier.apply(new ByteArrayInputStream(layerA()), Compression.NONE.mediaType(), a, false);
            ByteArrayOutputStream first = new ByteArrayOutputStream();
            ByteArrayOutputStream second = new ByteArrayOutputStream();
            ComputedLayer one = computer.compute(List.of(), a, Compression.GZIP, first);
            ComputedLayer two = computer.compute(List.of(), a, Compression.GZIP, second);
            assertEquals(one, two);
            assertTrue(first.size() > 0);
        }
    }
}
