package dev.berth.manager.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.api.errdefs.BerthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkdirTest {
    @TempDir
    Path root;

    @Test
    void missingDirectories_whatMkdirPMakes() throws IOException {
        Files.createDirectories(root.resolve("opt/existing"));
        Files.createDirectories(root.resolve("real"));
        Files.createSymbolicLink(root.resolve("link"), Path.of("/real"));
        Files.writeString(root.resolve("file"), "x");
        assertEquals(List.of("opt/app", "opt/app/deep"), StageBuild.missingDirectories(root, "/opt/app/deep"));
        assertEquals(List.of(), StageBuild.missingDirectories(root, "/opt/existing"));
        assertEquals(List.of(), StageBuild.missingDirectories(root, "/"));
        // a symlink on the way is followed inside the image
        assertEquals(List.of("real/sub"), StageBuild.missingDirectories(root, "/link/sub"));
        BerthException e = assertThrows(BerthException.class, () -> StageBuild.missingDirectories(root, "/file/x"));
        assertEquals("Cannot mkdir: /file/x is not a directory", e.getMessage());
    }
}
