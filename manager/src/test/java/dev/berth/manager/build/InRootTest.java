package dev.berth.manager.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InRootTest {
    @TempDir
    Path dir;

    @Test
    void resolve_absoluteAndDotDotSymlinksStayInTheRoot() throws IOException {
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "inside");
        Files.createSymbolicLink(root.resolve("abs"), Path.of("/etc"));
        Files.createSymbolicLink(root.resolve("up"), Path.of("../../../etc"));
        assertEquals(Optional.of(root.resolve("etc/passwd")), InRoot.resolve(root, "/abs/passwd", true));
        assertEquals(Optional.of(root.resolve("etc/passwd")), InRoot.resolve(root, "up/passwd", true));
        assertEquals(Optional.of(root.resolve("etc/passwd")), InRoot.resolve(root, "../../etc/passwd", true));
        assertTrue(InRoot.resolve(root, "missing/file", true).isEmpty());
        assertEquals(Optional.of(root.resolve("abs")), InRoot.resolve(root, "abs", false));
    }
}
