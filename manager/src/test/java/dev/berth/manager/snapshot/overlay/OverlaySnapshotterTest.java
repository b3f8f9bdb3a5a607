package dev.berth.manager.snapshot.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.manager.snapshot.Mount;
import dev.berth.manager.snapshot.Snapshotter;
import dev.berth.manager.snapshot.SnapshotterContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OverlaySnapshotterTest extends SnapshotterContract {

    @Override
    protected Snapshotter open(Path root) throws IOException {
        return OverlaySnapshotter.open(root);
    }

    private String fs(String key) throws IOException {
        // the snapshot whose upperdir is fs: ids are allocated 1, 2, 3… in this test
        return root.resolve("snapshots").resolve(key).resolve("fs").toString();
    }

    @Test
    void mounts_followContainerdsOverlayLayout() throws IOException {
        assertEquals(List.of(new Mount("bind", fs("1"), List.of("rw", "rbind"))),
                snapshotter.prepare("a", "", Map.of()));
        snapshotter.commit("l1", "a", Map.of());
        assertEquals(List.of(new Mount("bind", fs("1"), List.of("ro", "rbind"))),
                snapshotter.view("v1", "l1", Map.of()));
        String work2 = root.resolve("snapshots/3/work").toString();
        assertEquals(List.of(new Mount("overlay", "overlay",
                        List.of("workdir=" + work2, "upperdir=" + fs("3"), "lowerdir=" + fs("1")))),
                snapshotter.prepare("b", "l1", Map.of()));
        snapshotter.commit("l2", "b", Map.of());
        assertEquals(List.of(new Mount("overlay", "overlay", List.of("lowerdir=" + fs("3") + ":" + fs("1")))),
                snapshotter.view("v2", "l2", Map.of()));
        assertEquals(List.of(new Mount("bind", fs("5"), List.of("ro", "rbind"))),
                snapshotter.view("empty", "", Map.of()));
        assertEquals(true, Files.isDirectory(root.resolve("snapshots/3/work")));
    }

    @Test
    void commit_keepsTheUpperdirAsTheLayer() throws IOException {
        commitLayer("l1", "", Map.of("f", "1"));
        commitLayer("l2", "l1", Map.of("g", "2"));
        assertEquals("2", Files.readString(Path.of(fs("2")).resolve("g")));
        assertEquals(false, Files.exists(Path.of(fs("2")).resolve("f")), "the layer holds only its own changes");
    }
}
