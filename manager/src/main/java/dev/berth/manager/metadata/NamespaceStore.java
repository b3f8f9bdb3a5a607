package dev.berth.manager.metadata;

import dev.berth.api.errdefs.BerthException;
import dev.berth.manager.identifiers.Identifiers;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Namespaces: the top level of every record (containerd {@code metadata/namespaces.go}). */
public final class NamespaceStore {

    /** The tables a namespace must have no rows in before it can be deleted; their names are containerd's words. */
    private static final List<String> CONTENTS = List.of("images", "blobs", "containers", "snapshots");

    private final Database db;
    private final GcScheduler gc;

    NamespaceStore(Database db, GcScheduler gc) {
        this.db = db;
        this.gc = gc;
    }

    public NamespaceRecord create(String name, Map<String, String> labels) throws IOException {
        Identifiers.validate(name);
        Labels.validate(labels);
        return db.write("create namespace " + name, c -> {
            if (exists(c, name)) {
                throw BerthException.alreadyExists("namespace " + name + ": already exists");
            }
            Database.ensureNamespace(c, name, db.now());
            LabelTable.NAMESPACE.replace(c, labels, name);
            return new NamespaceRecord(name, LabelTable.NAMESPACE.read(c, name));
        });
    }

    public NamespaceRecord get(String name) throws IOException {
        return db.read("get namespace " + name, c -> {
            if (!exists(c, name)) {
                throw BerthException.notFound("namespace " + name + ": not found");
            }
            return new NamespaceRecord(name, LabelTable.NAMESPACE.read(c, name));
        });
    }

    public List<NamespaceRecord> list() throws IOException {
        return db.read("list namespaces", c -> {
            List<NamespaceRecord> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT name FROM namespaces ORDER BY name");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    out.add(new NamespaceRecord(name, LabelTable.NAMESPACE.read(c, name)));
                }
            }
            return out;
        });
    }

    /**
     * Updates labels: {@code labels.<key>} paths set (or, with no value, unset) one label each; no paths replace
     * them all. containerd's namespaces service accepts no other path.
     */
    public NamespaceRecord update(NamespaceRecord namespace, Set<String> fieldpaths) throws IOException {
        String name = namespace.name();
        for (String path : fieldpaths) {
            if (!path.startsWith(Labels.FIELD_PREFIX)) {
                throw BerthException.invalidArgument("cannot update \"" + path + "\" field on namespace " + name);
            }
        }
        Labels.validate(namespace.labels());
        return db.write("update namespace " + name, c -> {
            if (!exists(c, name)) {
                throw BerthException.notFound("namespace " + name + ": not found");
            }
            Map<String, String> labels = Labels.update(LabelTable.NAMESPACE.read(c, name), namespace.labels(),
                    fieldpaths, "namespace " + name);
            LabelTable.NAMESPACE.replace(c, labels, name);
            try (PreparedStatement ps = c.prepareStatement("UPDATE namespaces SET updated_at = ? WHERE name = ?")) {
                ps.setLong(1, Times.toNanos(db.now()));
                ps.setString(2, name);
                ps.executeUpdate();
            }
            return new NamespaceRecord(name, LabelTable.NAMESPACE.read(c, name));
        });
    }

    /**
     * Deletes an empty namespace (FAILED_PRECONDITION naming what is left, as containerd). Its leases and
     * unfinished ingests go with it, so garbage collection runs afterwards.
     */
    public void delete(String name) throws IOException {
        db.write("delete namespace " + name, c -> {
            if (!exists(c, name)) {
                throw BerthException.notFound("namespace " + name + ": not found");
            }
            List<String> left = new ArrayList<>();
            for (String table : CONTENTS) {
                if (hasRows(c, table, name)) {
                    left.add(table);
                }
            }
            if (!left.isEmpty()) {
                throw BerthException.failedPrecondition("namespace " + name + " must be empty, but it still has "
                        + String.join(", ", left));
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM namespaces WHERE name = ?")) {
                ps.setString(1, name);
                ps.executeUpdate();
            }
            return null;
        });
        gc.afterDelete();
    }

    static boolean exists(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM namespaces WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static boolean hasRows(Connection c, String table, String namespace) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + table + " WHERE namespace = ? LIMIT 1")) {
            ps.setString(1, namespace);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
