package dev.berth.manager.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.manager.content.ContentWriter;
import dev.berth.manager.content.LocalContentStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk (a 4 MiB tmpfs): a pull's write fails as "no space left on device" and gives its space back, and
 * the metadata database reports the same instead of "cannot commit - no transaction is active", and works again
 * once there is space.
 */
class DiskFullTest {

    @TempDir
    Path dir;
    private Path disk;
    private boolean mounted;
    private MetadataDb db;

    @BeforeEach
    void mountSmallDisk() throws Exception {
        disk = Files.createDirectory(dir.resolve("disk"));
        assertEquals(0, run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", disk.toString()), "mount tmpfs");
        mounted = true;
        db = MetadataDb.open(disk.resolve("metadata.db"), LocalContentStore.open(disk.resolve("content")), Map.of());
    }

    @AfterEach
    void unmount() throws Exception {
        if (db != null) {
            db.close();
        }
        if (mounted) {
            assertEquals(0, run("umount", disk.toString()), "umount " + disk);
        }
    }

    @Test
    void write_diskFull_isResourceExhausted_andThePartialIngestGivesTheSpaceBack() throws Exception {
        long free = Files.getFileStore(disk).getUsableSpace();
        BerthException e = null;
        try (ContentWriter w = db.contentStore("ns", Optional.empty()).writer("layer-big", 0, null)) {
            ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
            for (int i = 0; i < 200 && e == null; i++) {
                try {
                    w.write(chunk.clear());
                } catch (BerthException full) {
                    e = full;
                }
            }
            assertNotNull(e, "a 12 MiB write fits in 4 MiB");
            assertEquals(ErrorKind.RESOURCE_EXHAUSTED, e.kind());
            assertTrue(e.getMessage().contains("write ") && e.getMessage().endsWith("no space left on device"),
                    e.getMessage());
            assertEquals(0, w.status().offset(), "the ingest is emptied");
        }
        assertTrue(Files.getFileStore(disk).getUsableSpace() > free - 512 * 1024,
                "the space is free again: " + Files.getFileStore(disk).getUsableSpace() + " of " + free);
        LeaseStore leases = db.leases("ns");
        leases.create("after-full", Map.of());
        assertTrue(leases.list().stream().anyMatch(l -> l.id().equals("after-full")));
    }

    @Test
    void metadataWrite_diskFull_saysSo_andTheNextWriteWorksOnceSpaceIsBack() throws Exception {
        LeaseStore leases = db.leases("ns");
        leases.create("before", Map.of());
        Path filler = disk.resolve("filler");
        fill(filler);
        String big = "x".repeat(3000);
        BerthException e = null;
        for (int i = 0; i < 2000 && e == null; i++) {
            try {
                leases.create("lease-" + i, Map.of("k", big));
            } catch (BerthException full) {
                e = full;
            }
        }
        assertNotNull(e, "a metadata write fails on a full disk");
        assertEquals(ErrorKind.RESOURCE_EXHAUSTED, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("no space left on device"), e.getMessage());
        assertFalse(e.getMessage().contains("no transaction is active"), e.getMessage());

        Files.delete(filler);
        leases.create("after", Map.of());
        assertTrue(leases.list().stream().anyMatch(l -> l.id().equals("after")), "the connection still works");
    }

    /** Writes {@code file} until the disk is full. */
    private static void fill(Path file) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < 1000; i++) {
                out.write(chunk);
                out.flush();
            }
        } catch (IOException full) {
            if (!full.getMessage().contains("No space left on device")) {
                throw full;
            }
        }
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).inheritIO().start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join(" ", command));
        return p.exitValue();
    }
}
