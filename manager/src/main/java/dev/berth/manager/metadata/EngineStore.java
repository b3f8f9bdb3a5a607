package dev.berth.manager.metadata;

import dev.berth.api.errdefs.BerthException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The engine's records of one namespace and one kind ({@link Kind#CONTAINERS} or {@link Kind#VOLUMES}): JSON
 * documents with a unique key and a unique name. Writes are single statements in their own transaction; a
 * create of a key or a name that exists is ALREADY_EXISTS, an update or delete of a missing key NOT_FOUND.
 */
public final class EngineStore {

    /** The two tables of migration 0002. */
    public enum Kind {
        CONTAINERS("engine_containers", "id", "container"),
        VOLUMES("engine_volumes", "name", "volume");

        private final String table;
        private final String keyColumn;
        private final String noun;

        Kind(String table, String keyColumn, String noun) {
            this.table = table;
            this.keyColumn = keyColumn;
            this.noun = noun;
        }
    }

    private final Database db;
    private final String namespace;
    private final Kind kind;

    EngineStore(Database db, String namespace, Kind kind) {
        this.db = db;
        this.namespace = namespace;
        this.kind = kind;
    }

    /** Records a new document; ALREADY_EXISTS when the key or (for containers) the name is taken. */
    public EngineRecord create(String key, String name, String json) throws IOException {
        return db.write("create " + kind.noun + " " + name, c -> {
            Database.ensureNamespace(c, namespace, db.now());
            if (find(c, key).isPresent()) {
                throw BerthException.alreadyExists(kind.noun + " " + key + ": already exists");
            }
            Optional<EngineRecord> sameName = findByName(c, name);
            if (sameName.isPresent()) {
                throw BerthException.alreadyExists(kind.noun + " name " + name + ": already in use by "
                        + sameName.get().key());
            }
            Instant now = db.now();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + kind.table + " (namespace, "
                    + (kind == Kind.CONTAINERS ? "id, name" : "name") + ", record, created_at, updated_at) VALUES ("
                    + (kind == Kind.CONTAINERS ? "?, ?, ?" : "?, ?") + ", ?, ?, ?)")) {
                int i = 1;
                ps.setString(i++, namespace);
                ps.setString(i++, key);
                if (kind == Kind.CONTAINERS) {
                    ps.setString(i++, name);
                }
                ps.setString(i++, json);
                ps.setLong(i++, Times.toNanos(now));
                ps.setLong(i, Times.toNanos(now));
                ps.executeUpdate();
            }
            return new EngineRecord(key, name, json, now, now);
        });
    }

    /** Replaces the document of {@code key}. */
    public EngineRecord update(String key, String json) throws IOException {
        return db.write("update " + kind.noun + " " + key, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + kind.table
                    + " SET record = ?, updated_at = ? WHERE namespace = ? AND " + kind.keyColumn + " = ?")) {
                ps.setString(1, json);
                ps.setLong(2, Times.toNanos(db.now()));
                ps.setString(3, namespace);
                ps.setString(4, key);
                if (ps.executeUpdate() == 0) {
                    throw BerthException.notFound(kind.noun + " " + key + ": not found");
                }
            }
            return find(c, key).orElseThrow();
        });
    }

    /** Renames a container; ALREADY_EXISTS when another container has the name. */
    public EngineRecord rename(String key, String name, String json) throws IOException {
        if (kind != Kind.CONTAINERS) {
            throw BerthException.invalidArgument("rename " + kind.noun + " " + key + ": only containers have names");
        }
        return db.write("rename container " + key, c -> {
            Optional<EngineRecord> sameName = findByName(c, name);
            if (sameName.isPresent() && !sameName.get().key().equals(key)) {
                throw BerthException.alreadyExists("container name " + name + ": already in use by "
                        + sameName.get().key());
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE engine_containers SET name = ?, record = ?, "
                    + "updated_at = ? WHERE namespace = ? AND id = ?")) {
                ps.setString(1, name);
                ps.setString(2, json);
                ps.setLong(3, Times.toNanos(db.now()));
                ps.setString(4, namespace);
                ps.setString(5, key);
                if (ps.executeUpdate() == 0) {
                    throw BerthException.notFound("container " + key + ": not found");
                }
            }
            return find(c, key).orElseThrow();
        });
    }

    /** Deletes {@code key}; false if there was no such record. */
    public boolean delete(String key) throws IOException {
        return db.write("delete " + kind.noun + " " + key, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + kind.table + " WHERE namespace = ? AND "
                    + kind.keyColumn + " = ?")) {
                ps.setString(1, namespace);
                ps.setString(2, key);
                return ps.executeUpdate() > 0;
            }
        });
    }

    public Optional<EngineRecord> get(String key) throws IOException {
        return db.read("get " + kind.noun + " " + key, c -> find(c, key));
    }

    public Optional<EngineRecord> getByName(String name) throws IOException {
        return db.read("get " + kind.noun + " " + name, c -> findByName(c, name));
    }

    /** Every record of the namespace, oldest first. */
    public List<EngineRecord> list() throws IOException {
        return db.read("list " + kind.noun + "s", c -> query(c, "", List.of()));
    }

    /** The records whose key starts with {@code prefix} (for docker's id prefixes). */
    public List<EngineRecord> withKeyPrefix(String prefix) throws IOException {
        String escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        return db.read("find " + kind.noun + " " + prefix, c ->
                query(c, " AND " + kind.keyColumn + " LIKE ? ESCAPE '\\'", List.of(escaped + "%")));
    }

    private Optional<EngineRecord> find(Connection c, String key) throws SQLException {
        return query(c, " AND " + kind.keyColumn + " = ?", List.of(key)).stream().findFirst();
    }

    private Optional<EngineRecord> findByName(Connection c, String name) throws SQLException {
        return query(c, " AND name = ?", List.of(name)).stream().findFirst();
    }

    private List<EngineRecord> query(Connection c, String where, List<String> args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + kind.keyColumn + ", name, record, created_at, updated_at FROM " + kind.table + " WHERE namespace = ?" + where
                + " ORDER BY created_at, " + kind.keyColumn)) {
            ps.setString(1, namespace);
            for (int i = 0; i < args.size(); i++) {
                ps.setString(i + 2, args.get(i));
            }
            List<EngineRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new EngineRecord(rs.getString(1), rs.getString(2), rs.getString(3),
                            Times.fromNanos(rs.getLong(4)), Times.fromNanos(rs.getLong(5))));
                }
            }
            return out;
        }
    }
}
