package dev.berth.manager.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.manager.diff.TarEntry;
import dev.berth.manager.diff.TarReader;
import dev.berth.manager.diff.TarWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CopyPlanTest {
    @TempDir
    Path dir;

    private List<TarEntry> entries(CopyPlan plan) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TarWriter tar = new TarWriter(out);
        plan.write(tar);
        tar.finish();
        TarReader reader = new TarReader(new ByteArrayInputStream(out.toByteArray()));
        List<TarEntry> list = new ArrayList<>();
        for (var e = reader.next(); e.isPresent(); e = reader.next()) {
            list.add(e.get());
        }
        return list;
    }

    @Test
    void write_directoryContentsSortedWithTheStepsOwnerAndTheEpochAsMtime() throws IOException {
        Path src = Files.createDirectories(dir.resolve("src/sub"));
        Files.writeString(dir.resolve("src/b.txt"), "b");
        Files.writeString(src.resolve("a.txt"), "a");
        CopyPlan plan = new CopyPlan(new CopyPlan.Owner(1000, 1001, false), Optional.empty(),
                Optional.of(Instant.ofEpochSecond(42)));
        plan.directory("app");
        plan.add(dir.resolve("src"), "app", false, false);
        List<TarEntry> es = entries(plan);
        assertEquals(List.of("app/", "app/b.txt", "app/sub/", "app/sub/a.txt"), es.stream().map(TarEntry::name)
                .toList());
        for (TarEntry e : es) {
            assertEquals(1000, e.uid(), e.name());
            assertEquals(1001, e.gid(), e.name());
            assertEquals(Instant.ofEpochSecond(42), e.mtime(), e.name());
        }
    }

    @Test
    void hash_followsContentAndNamesButNotMtimes() throws IOException {
        Path f = dir.resolve("f.txt");
        Files.writeString(f, "one");
        String first = plan(f).hash();
        assertTrue(first.startsWith("file:"), first);
        Files.setLastModifiedTime(f, FileTime.from(Instant.ofEpochSecond(1)));
        assertEquals(first, plan(f).hash());
        Files.writeString(f, "two");
        assertNotEquals(first, plan(f).hash());
    }

    private CopyPlan plan(Path f) throws IOException {
        CopyPlan plan = new CopyPlan(CopyPlan.Owner.ROOT, Optional.empty(), Optional.empty());
        plan.add(f, "f.txt", false, false);
        return plan;
    }

    @Test
    void add_keepsASourcesOwnersOnlyWhenAsked() throws IOException {
        Path f = dir.resolve("f");
        Files.writeString(f, "x");
        Files.setAttribute(f, "unix:uid", 7);
        CopyPlan keep = new CopyPlan(new CopyPlan.Owner(0, 0, true), Optional.of(0640), Optional.empty());
        keep.add(f, "kept", false, true);
        keep.add(f, "root", false, false);
        List<TarEntry> es = entries(keep);
        assertEquals(7, es.get(0).uid());
        assertEquals(0640, es.get(0).mode() & 07777);
        assertEquals(0, es.get(1).uid());
    }
}
