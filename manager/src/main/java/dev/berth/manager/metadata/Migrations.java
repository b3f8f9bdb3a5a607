package dev.berth.manager.metadata;

import dev.berth.api.errdefs.BerthException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Brings a database file to the current schema. Migration {@code n} is the SQL script that takes version
 * {@code n-1} to {@code n}; scripts run in order, each in its own transaction together with the
 * {@code PRAGMA user_version} that records it, so a failed script leaves the file at the previous version.
 */
final class Migrations {

    /** One numbered schema step. */
    record Migration(int version, String name, String sql) {
    }

    /** The scripts shipped with this berthd, in order. A new schema step is a new file added here. */
    private static final List<String> SCRIPTS = List.of("0001-initial.sql", "0002-engine.sql", "0003-networks.sql");

    private final List<Migration> migrations;

    Migrations(List<Migration> migrations) {
        for (int i = 0; i < migrations.size(); i++) {
            if (migrations.get(i).version() != i + 1) {
                throw new IllegalArgumentException("migration " + migrations.get(i).name() + ": expected version " + (i + 1));
            }
        }
        this.migrations = List.copyOf(migrations);
    }

    /** The migrations bundled as resources next to this class. */
    static Migrations bundled() throws IOException {
        List<Migration> list = new ArrayList<>();
        for (int i = 0; i < SCRIPTS.size(); i++) {
            String name = SCRIPTS.get(i);
            try (InputStream in = Migrations.class.getResourceAsStream("migrations/" + name)) {
                if (in == null) {
                    throw new IOException("metadata migration " + name + ": resource missing");
                }
                list.add(new Migration(i + 1, name, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
        }
        return new Migrations(list);
    }

    List<Migration> migrations() {
        return migrations;
    }

    int latest() {
        return migrations.size();
    }

    /** Applies every migration newer than the file's version; returns the version the file ends at. */
    int apply(Database db) throws IOException {
        int current = db.read("read schema version", Migrations::version);
        if (current > latest()) {
            throw BerthException.failedPrecondition("metadata schema version " + current
                    + " is newer than this berthd supports (" + latest() + ")");
        }
        for (Migration m : migrations.subList(current, migrations.size())) {
            db.write("migrate metadata to version " + m.version() + " (" + m.name() + ")", c -> {
                try (Statement st = c.createStatement()) {
                    for (String sql : statements(m.sql())) {
                        st.executeUpdate(sql);
                    }
                    // user_version lives in the file header and is written as part of this transaction
                    st.executeUpdate("PRAGMA user_version = " + m.version());
                }
                return null;
            });
        }
        return latest();
    }

    static int version(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA user_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    /**
     * Splits a script into statements at semicolons that end a line, after dropping {@code --} comment lines.
     * The scripts are ours and keep to that form (no triggers, no semicolons inside literals).
     */
    static List<String> statements(String script) {
        StringBuilder current = new StringBuilder();
        List<String> out = new ArrayList<>();
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                out.add(current.toString().strip());
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString().strip());
        }
        return out;
    }
}
