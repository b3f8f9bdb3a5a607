package dev.berth.manager.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.manager.content.LocalContentStore;
import dev.berth.manager.diff.ContentDiffer;
import dev.berth.manager.diff.LayerApplier;
import dev.berth.manager.diff.LayerComputer;
import dev.berth.manager.diff.SyscallMounter;
import dev.berth.manager.metadata.MetadataDb;
import dev.berth.manager.snapshot.Mount;
import dev.berth.manager.snapshot.overlay.OverlaySnapshotter;
import dev.berth.sys.LinuxSyscalls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the image transfer tests run on: a real metadata database over the local content store and the overlay
 * snapshotter in a temp dir, the real differ on real syscalls, and the importer, exporter and committer on top.
 * Mounts made through it are undone on close, whatever happened.
 */
final class ImageFixture implements AutoCloseable {

    final Path dir;
    final LinuxSyscalls sys = LinuxSyscalls.loadBuilt();
    final SyscallMounter mounter = new SyscallMounter(sys);
    final MetadataDb db;
    final ContentDiffer differ;
    final Unpacker unpacker;
    final ImageImporter importer;
    final ImageExporter exporter;
    final ImageCommitter committer;
    private final OverlaySnapshotter overlay;
    private final Deque<Path> mounted = new ArrayDeque<>();

    ImageFixture(Path dir) throws IOException {
        this.dir = dir;
        LocalContentStore content = LocalContentStore.open(dir.resolve("content"));
        overlay = OverlaySnapshotter.open(dir.resolve("overlayfs"));
        db = MetadataDb.open(dir.resolve("metadata.db"), content, Map.of("overlayfs", overlay));
        Path scratch = Files.createDirectories(dir.resolve("tmp"));
        differ = new ContentDiffer(new LayerApplier(sys, mounter, scratch), new LayerComputer(sys, mounter, scratch));
        unpacker = new Unpacker(differ);
        importer = new ImageImporter(db, unpacker, Clock.systemUTC());
        exporter = new ImageExporter(db);
        committer = new ImageCommitter(db, differ, unpacker, Clock.systemUTC());
    }

    /** Mounts {@code mounts} on a fresh directory, unmounted at close. */
    Path mount(List<Mount> mounts) throws IOException {
        Path target = Files.createTempDirectory(dir, "mnt-");
        mounter.mount(mounts, target);
        mounted.push(target);
        return target;
    }

    /** Runs a command (skopeo) and answers its standard output; fails the test on a non-zero exit. */
    static String run(String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", argv) + ": timed out");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), String.join(" ", argv) + ":\n" + text);
        return text;
    }

    @Override
    public void close() throws IOException {
        List<IOException> failures = new ArrayList<>();
        while (!mounted.isEmpty()) {
            try {
                mounter.unmount(mounted.pop());
            } catch (IOException e) {
                failures.add(e);
            }
        }
        db.close();
        overlay.close();
        if (!failures.isEmpty()) {
            throw failures.getFirst();
        }
    }
}
