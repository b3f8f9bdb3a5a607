package dev.berth.testsupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BusyboxImageTest {

    @TempDir
    Path dir;

    @Test
    void writeArchive_sameBytesEveryTime_namedForContainerdAndByTag() throws Exception {
        Path first = dir.resolve("first.tar");
        Path second = dir.resolve("second.tar");
        BusyboxImage.writeArchive("docker.io/berth-it/busybox:v1", first);
        BusyboxImage.writeArchive("docker.io/berth-it/busybox:v1", second);
        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
        try (var files = Files.list(dir)) {
            assertEquals(List.of("first.tar", "second.tar"), files.map(p -> p.getFileName().toString()).sorted()
                    .toList(), "no work files left beside the archive");
        }

        Path unpacked = Files.createDirectory(dir.resolve("unpacked"));
        Process tar = new ProcessBuilder("tar", "-xf", first.toString(), "-C", unpacked.toString()).inheritIO()
                .start();
        assertEquals(0, tar.waitFor());
        Map<String, Object> index = Json.parseObject(Files.readString(unpacked.resolve("index.json")));
        @SuppressWarnings("unchecked")
        Map<String, Object> entry = (Map<String, Object>) ((List<Object>) index.get("manifests")).getFirst();
        assertEquals(Map.of(OciLayout.CONTAINERD_NAME, "docker.io/berth-it/busybox:v1", OciLayout.REF_NAME, "v1"),
                entry.get("annotations"));
        assertTrue(Files.isRegularFile(unpacked.resolve("blobs/sha256/"
                + ((String) entry.get("digest")).substring("sha256:".length()))));
    }
}
