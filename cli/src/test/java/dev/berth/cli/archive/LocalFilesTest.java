package dev.berth.cli.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cp's local side: a tree archived under a chosen name and extracted under another, with modes and links. */
class LocalFilesTest {
    @TempDir
    Path dir;

    @Test
    void archiveThenExtract_renamesTheTopAndKeepsContentModesAndLinks() throws IOException {
        Path src = Files.createDirectories(dir.resolve("src/sub"));
        Files.writeString(dir.resolve("src/a.txt"), "hello");
        Path script = Files.writeString(src.resolve("run.sh"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-x---"));
        Files.createSymbolicLink(dir.resolve("src/link"), Path.of("a.txt"));
        String longName = "n".repeat(150);
        Files.writeString(src.resolve(longName), "long");

        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        LocalFiles.archive(dir.resolve("src"), "copy", tar);
        List<String> names = new ArrayList<>();
        TarReader reader = new TarReader(new ByteArrayInputStream(tar.toByteArray()));
        for (Optional<TarEntry> e = reader.next(); e.isPresent(); e = reader.next()) {
            names.add(e.get().name());
        }
        assertTrue(names.contains("copy/"), names.toString());
        assertTrue(names.contains("copy/sub/" + longName), "a PAX path past 100 bytes: " + names);

        Path out = dir.resolve("out");
        LocalFiles.extract(new ByteArrayInputStream(tar.toByteArray()), "copy", out);
        assertEquals("hello", Files.readString(out.resolve("a.txt")));
        assertEquals("long", Files.readString(out.resolve("sub").resolve(longName)));
        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                out.resolve("sub/run.sh"))));
        assertEquals(Path.of("a.txt"), Files.readSymbolicLink(out.resolve("link")));
    }

    @Test
    void extract_refusesAnEntryThatLeavesTheTarget() throws IOException {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        try (TarWriter w = new TarWriter(tar)) {
            byte[] data = "x".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            w.add(new TarEntry("../evil", TarEntry.Kind.FILE, 0644, data.length, 0, null),
                    new ByteArrayInputStream(data));
        }
        assertThrows(IOException.class, () -> LocalFiles.extract(new ByteArrayInputStream(tar.toByteArray()), "",
                dir.resolve("t")));
        assertTrue(Files.notExists(dir.resolve("evil")));
    }
}
