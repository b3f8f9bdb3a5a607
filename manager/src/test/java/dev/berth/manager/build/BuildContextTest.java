package dev.berth.manager.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.errdefs.BerthException;
import dev.berth.manager.diff.TarEntry;
import dev.berth.manager.diff.TarWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildContextTest {
    @TempDir
    Path dir;

    private static byte[] tar(List<TarEntry> entries, String content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TarWriter w = new TarWriter(out);
        for (TarEntry e : entries) {
            byte[] data = e.type() == TarEntry.Type.REGULAR ? content.getBytes(StandardCharsets.UTF_8) : new byte[0];
            w.write(e, new ByteArrayInputStream(data));
        }
        w.finish();
        return out.toByteArray();
    }

    @Test
    void extract_refusesAnEntryBelowASymlinkTheArchiveMade() throws IOException {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Path ctx = Files.createDirectories(dir.resolve("ctx"));
        byte[] t = tar(List.of(TarEntry.symlink("link", outside.toString(), Instant.EPOCH),
                TarEntry.file("link/evil", 0644, 1, Instant.EPOCH)), "x");
        assertThrows(BerthException.class, () -> BuildContext.extract(new ByteArrayInputStream(t), ctx, false));
        assertFalse(Files.exists(outside.resolve("evil")));
    }

    @Test
    void extract_refusesDotDot() throws IOException {
        byte[] t = tar(List.of(TarEntry.file("../evil", 0644, 1, Instant.EPOCH)), "x");
        Path ctx = Files.createDirectories(dir.resolve("ctx"));
        assertThrows(BerthException.class, () -> BuildContext.extract(new ByteArrayInputStream(t), ctx, false));
    }

    @Test
    void sources_globsPerComponentAndRefusesPathsOutsideTheContext() throws IOException {
        Path ctx = Files.createDirectories(dir.resolve("ctx"));
        byte[] t = tar(List.of(TarEntry.file("a.txt", 0644, 1, Instant.EPOCH), TarEntry.file("b.txt", 0644, 1,
                Instant.EPOCH), TarEntry.file("sub/c.txt", 0644, 1, Instant.EPOCH)), "x");
        BuildContext c = BuildContext.extract(new ByteArrayInputStream(t), ctx, false);
        assertEquals(List.of(ctx.resolve("a.txt"), ctx.resolve("b.txt")), c.sources("COPY", "*.txt"));
        assertEquals(List.of(ctx.resolve("sub/c.txt")), c.sources("COPY", "sub/*.txt"));
        BerthException out = assertThrows(BerthException.class, () -> c.sources("COPY", "../x"));
        assertTrue(out.getMessage().contains("outside the build context"), out.getMessage());
        BerthException none = assertThrows(BerthException.class, () -> c.sources("COPY", "*.md"));
        assertTrue(none.getMessage().contains("file not found in build context"), none.getMessage());
    }
}
