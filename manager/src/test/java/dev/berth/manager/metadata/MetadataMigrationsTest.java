package dev.berth.manager.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.errdefs.ErrorKind;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetadataMigrationsTest {

    @TempDir
    Path dir;

    private final FakeContentStore content = new FakeContentStore();

    private MetadataDb open(Path file) throws IOException {
        return MetadataDb.open(file, content, Map.of("fake", new FakeSnapshotter()));
    }

    private static Object query(Path file, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getObject(1) : null;
        }
    }

    private static void exec(Path file, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            st.executeUpdate(sql);
        }
    }

    @Test
    void open_newFile_migratesToLatest_reopenKeepsVersionAndData() throws Exception {
        Path file = dir.resolve("sub/metadata.db");
        int latest = Migrations.bundled().latest();
        try (MetadataDb db = open(file)) {
            assertEquals(latest, db.schemaVersion());
            db.namespaces().create("default", Map.of("k", "v"));
        }
        try (MetadataDb db = open(file)) {
            assertEquals(latest, db.schemaVersion());
            assertEquals(Map.of("k", "v"), db.namespaces().get("default").labels());
        }
        assertEquals(latest, query(file, "PRAGMA user_version"));
    }

    @Test
    void open_setsWalAndForeignKeys() throws Exception {
        Path file = dir.resolve("metadata.db");
        // the cascades only work with foreign keys on: deleting a lease must take its resources
        try (MetadataDb db = open(file)) {
            assertEquals("wal", query(file, "PRAGMA journal_mode"), "WAL is a property of the file");
            db.leases("ns").create("l", Map.of());
            db.leases("ns").addResource("l", LeaseResource.ingest("r"));
            db.leases("ns").delete("l");
        }
        assertEquals(0, query(file, "SELECT count(*) FROM lease_resources"));
    }

    @Test
    void open_versionZeroFile_isMigrated() throws Exception {
        Path file = dir.resolve("v0.db");
        exec(file, "CREATE TABLE unrelated (x INTEGER)");
        assertEquals(0, query(file, "PRAGMA user_version"));
        try (MetadataDb db = open(file)) {
            assertEquals(Migrations.bundled().latest(), db.schemaVersion());
            db.images("ns").list();
        }
        assertEquals(1, query(file, "SELECT count(*) FROM sqlite_master WHERE name = 'images'"));
    }

    @Test
    void open_newerVersion_failedPrecondition() throws Exception {
        Path file = dir.resolve("future.db");
        exec(file, "PRAGMA user_version = 999");
        MetadataFixture.assertKind(ErrorKind.FAILED_PRECONDITION, () -> open(file));
    }

    @Test
    void migrations_applyInOrder_andAFailingOneLeavesThePreviousVersion() throws Exception {
        Path file = dir.resolve("metadata.db");
        List<Migrations.Migration> steps = new ArrayList<>(Migrations.bundled().migrations());
        int base = steps.size();
        steps.add(new Migrations.Migration(base + 1, "add-notes", "CREATE TABLE notes (n TEXT);\n"
                + "INSERT INTO notes (n) VALUES ('after ' || (SELECT count(*) FROM namespaces));"));
        steps.add(new Migrations.Migration(base + 2, "broken", "CREATE TABLE half (x INTEGER);\nNOT SQL;"));

        IOException e = assertThrows(IOException.class, () -> MetadataDb.open(file, content, Map.of(),
                Clock.systemUTC(), new Migrations(steps)));
        assertTrue(e.getMessage().contains("broken"), e.getMessage());
        assertEquals(base + 1, query(file, "PRAGMA user_version"));
        assertEquals("after 0", query(file, "SELECT n FROM notes"));
        assertEquals(0, query(file, "SELECT count(*) FROM sqlite_master WHERE name = 'half'"),
                "the failed script's first statement was rolled back");

        steps.set(base + 1, new Migrations.Migration(base + 2, "fixed", "CREATE TABLE half (x INTEGER);"));
        try (MetadataDb db = MetadataDb.open(file, content, Map.of(), Clock.systemUTC(), new Migrations(steps))) {
            assertEquals(base + 2, db.schemaVersion());
        }
    }

    @Test
    void migrations_mustBeNumberedFromOne() {
        assertThrows(IllegalArgumentException.class,
                () -> new Migrations(List.of(new Migrations.Migration(2, "x", "SELECT 1;"))));
    }

    @Test
    void statements_splitAtLineEndingSemicolons_skippingComments() {
        assertEquals(List.of("CREATE TABLE a (\n    x INTEGER\n);", "INSERT INTO a VALUES (1);"),
                Migrations.statements("-- comment\nCREATE TABLE a (\n    -- inner\n    x INTEGER\n);\n\n"
                        + "INSERT INTO a VALUES (1);\n"));
    }
}
