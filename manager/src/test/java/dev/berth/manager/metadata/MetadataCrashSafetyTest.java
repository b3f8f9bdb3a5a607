package dev.berth.manager.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.errdefs.ErrorKind;
import dev.berth.manager.content.ContentWriter;
import dev.berth.manager.content.Descriptor;
import dev.berth.manager.content.Digest;
import dev.berth.manager.snapshot.SnapshotKind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A failure in the middle of a multi-record change leaves nothing half-written. */
class MetadataCrashSafetyTest extends MetadataFixture {

    /** Installs a trigger through a second connection, the way a failing disk or a bug would strike mid-change. */
    private void failWhen(String trigger) throws IOException, SQLException {
        db.close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("metadata.db"));
             Statement st = c.createStatement()) {
            st.executeUpdate(trigger);
        }
        db = open();
    }

    private void dropTrigger() throws IOException, SQLException {
        db.close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("metadata.db"));
             Statement st = c.createStatement()) {
            st.executeUpdate("DROP TRIGGER boom");
        }
        db = open();
    }

    @Test
    void imageCreate_failingOnALabel_leavesNoImageAndNoNamespace() throws Exception {
        failWhen("CREATE TRIGGER boom BEFORE INSERT ON image_labels WHEN NEW.key = 'z' "
                + "BEGIN SELECT RAISE(ABORT, 'injected'); END");
        Descriptor target = new Descriptor("m", digestOf("m"), 1, Map.of("ann", "x"));
        IOException e = assertThrows(IOException.class, () -> db.images("ns").create(ImageRecord.of("img", target,
                Map.of("a", "1", "z", "2"))));
        assertTrue(e.getMessage().startsWith("create image img: "), e.getMessage());
        assertKind(ErrorKind.NOT_FOUND, () -> db.images("ns").get("img"));
        assertTrue(db.namespaces().list().isEmpty(), "the implicit namespace went with the rollback");
    }

    @Test
    void containerCreate_failingOnAnExtension_leavesNothing() throws Exception {
        failWhen("CREATE TRIGGER boom BEFORE INSERT ON container_extensions "
                + "BEGIN SELECT RAISE(ABORT, 'injected'); END");
        ContainerRecord c = ContainerRecord.builder("c").runtime(new ContainerRecord.Runtime("rt", AnyValue.EMPTY))
                .spec(new AnyValue("s", new byte[] {1})).labels(Map.of("a", "1"))
                .extensions(Map.of("e", new AnyValue("t", new byte[] {2}))).build();
        assertThrows(IOException.class, () -> db.containers("ns").create(c));
        assertTrue(db.containers("ns").list().isEmpty());
        dropTrigger();
        assertEquals(Map.of("a", "1"), db.containers("ns").create(c).labels(), "no leftover labels collide");
    }

    @Test
    void snapshotCommit_backendFails_keyStaysActiveAndLeased() throws Exception {
        db.leases("ns").create("l", Map.of());
        MetadataSnapshotter s = db.snapshotter("ns", SNAPSHOTTER, Optional.of("l"));
        s.prepare("k", "", Map.of());
        snapshots.failNext("commit");
        assertThrows(IOException.class, () -> s.commit("name", "k", Map.of("x", "y")));
        assertEquals(SnapshotKind.ACTIVE, s.stat("k").kind());
        assertKind(ErrorKind.NOT_FOUND, () -> s.stat("name"));
        assertEquals(List.of(LeaseResource.snapshot(SNAPSHOTTER, "k")), db.leases("ns").listResources("l"));
        s.commit("name", "k", Map.of());
        assertEquals(SnapshotKind.COMMITTED, s.stat("name").kind());
    }

    @Test
    void snapshotPrepare_backendFails_leavesNoRecord() throws Exception {
        snapshots.failNext("prepare");
        MetadataSnapshotter s = db.snapshotter("ns", SNAPSHOTTER, Optional.empty());
        assertThrows(IOException.class, () -> s.prepare("k", "", Map.of("l", "v")));
        assertTrue(s.list().isEmpty());
        assertTrue(db.namespaces().list().isEmpty());
        s.prepare("k", "", Map.of());
        assertEquals(Map.of(), s.stat("k").labels());
    }

    @Test
    void contentCommit_backendFails_noBlobRecordAndLeaseStillOnTheIngest() throws Exception {
        db.leases("ns").create("l", Map.of());
        MetadataContentStore store = db.contentStore("ns", Optional.of("l"));
        byte[] data = "payload".getBytes(StandardCharsets.UTF_8);
        try (ContentWriter w = store.writer("ref", data.length, null)) {
            w.write(ByteBuffer.wrap(data));
            content.failNextCommit();
            assertThrows(IOException.class, () -> w.commit(data.length, null, Map.of("l", "v")));
            assertTrue(store.list().isEmpty());
            assertEquals(List.of(LeaseResource.ingest("ref")), db.leases("ns").listResources("l"));
            assertEquals(data.length, store.status("ref").offset(), "the ingest can be retried");
            Digest d = w.commit(data.length, null, Map.of("l", "v")).digest();
            assertEquals(Map.of("l", "v"), store.info(d).labels());
        }
    }

    @Test
    void gcSweep_failingHalfway_removesNoRecord_andADeleteStillStands() throws Exception {
        Digest blob = commit("ns", "blob", Map.of());
        db.snapshotter("ns", SNAPSHOTTER, Optional.empty()).prepare("k", "", Map.of());
        db.images("ns").create(ImageRecord.of("img", new Descriptor("m", blob, 4, Map.of()), Map.of()));
        failWhen("CREATE TRIGGER boom BEFORE DELETE ON snapshots BEGIN SELECT RAISE(ABORT, 'injected'); END");

        assertThrows(IOException.class, () -> db.garbageCollect());
        assertEquals(List.of("k"), db.snapshotter("ns", SNAPSHOTTER, Optional.empty()).list().stream()
                .map(i -> i.name()).toList());

        db.images("ns").delete("img");
        assertKind(ErrorKind.NOT_FOUND, () -> db.images("ns").get("img"));
        assertEquals(blob, db.contentStore("ns", Optional.empty()).info(blob).digest(),
                "the collection after the delete failed as a whole, the blob record is still there");

        dropTrigger();
        GcReport report = db.garbageCollect();
        assertEquals(1, report.contentRecords());
        assertEquals(1, report.snapshotRecords());
        assertEquals(Set.of(), snapshots.keys());
    }
}
