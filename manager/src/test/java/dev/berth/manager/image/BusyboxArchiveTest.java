package dev.berth.manager.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.manager.image.archive.ImportOptions;
import dev.berth.manager.image.oci.Platform;
import dev.berth.manager.metadata.ImageRecord;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped busybox archive: built reproducibly by the script, imported, and its root filesystem as promised. */
class BusyboxArchiveTest {

    private static final Path SCRIPT = Path.of("..", "scripts", "build-busybox-archive.sh").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void script_buildsAReproducibleArchiveThatImports() throws Exception {
        Path first = dir.resolve("busybox-1.tar");
        Path second = dir.resolve("busybox-2.tar");
        ImageFixture.run(SCRIPT.toString(), first.toString());
        ImageFixture.run(SCRIPT.toString(), second.toString());
        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));

        try (ImageFixture f = new ImageFixture(dir.resolve("root"))) {
            List<ImageRecord> imported;
            try (InputStream in = Files.newInputStream(first)) {
                imported = f.importer.importArchive("default", in, ImportOptions.defaults());
            }
            assertEquals(List.of("docker.io/library/busybox:latest"),
                    imported.stream().map(ImageRecord::name).toList());
            ResolvedImage image = ManifestResolver.resolve(f.db.contentStore("default", Optional.empty()),
                    imported.getFirst().target(), Platform.LINUX_AMD64);
            assertEquals(List.of("sh"), TestImages.strings(image.config().process().get("Cmd")));
            String top = ChainIds.of(image.config().diffIds()).getLast();
            Path root = f.mount(f.db.snapshotter("default", "overlayfs", Optional.empty())
                    .view("look", top, Map.of()));
            for (String applet : List.of("sh", "echo", "ls", "cat", "true", "false", "sleep", "id", "ps", "env",
                    "hostname", "wc", "top", "mkdir", "rm")) {
                assertEquals(Path.of("busybox"), Files.readSymbolicLink(root.resolve("bin/" + applet)), applet);
            }
            assertTrue(Files.isExecutable(root.resolve("bin/busybox")));
            assertTrue(Files.readString(root.resolve("etc/passwd")).contains("nobody:x:65534:"));
            assertTrue(Files.readString(root.resolve("etc/group")).startsWith("root:x:0:"));
            int mode = (Integer) Files.getAttribute(root.resolve("tmp"), "unix:mode", LinkOption.NOFOLLOW_LINKS);
            assertEquals(01777, mode & 07777);
            assertTrue(Files.readAttributes(root.resolve("tmp"), PosixFileAttributes.class).isDirectory());
        }
    }
}
