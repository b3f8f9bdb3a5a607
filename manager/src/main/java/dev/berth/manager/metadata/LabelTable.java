package dev.berth.manager.metadata;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A string map stored as rows {@code (owner columns…, key, value)} of one child table: labels of every record
 * type, and image annotations.
 */
final class LabelTable {

    static final LabelTable NAMESPACE = new LabelTable("namespace_labels", "namespace");
    static final LabelTable IMAGE = new LabelTable("image_labels", "namespace", "image");
    static final LabelTable IMAGE_ANNOTATIONS = new LabelTable("image_annotations", "namespace", "image");
    static final LabelTable CONTAINER = new LabelTable("container_labels", "namespace", "container");
    static final LabelTable LEASE = new LabelTable("lease_labels", "namespace", "lease");
    static final LabelTable BLOB = new LabelTable("blob_labels", "namespace", "digest");
    static final LabelTable SNAPSHOT = new LabelTable("snapshot_labels", "namespace", "snapshotter", "snapshot");

    private final String table;
    private final List<String> owner;
    private final String where;

    private LabelTable(String table, String... owner) {
        this.table = table;
        this.owner = List.of(owner);
        this.where = String.join(" AND ", this.owner.stream().map(col -> col + " = ?").toList());
    }

    Map<String, String> read(Connection c, String... ownerKey) throws SQLException {
        Map<String, String> out = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT key, value FROM " + table + " WHERE " + where)) {
            bind(ps, ownerKey);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return out;
    }

    /** Replaces the whole map of one owner; empty values are not stored. */
    void replace(Connection c, Map<String, String> labels, String... ownerKey) throws SQLException {
        try (PreparedStatement del = c.prepareStatement("DELETE FROM " + table + " WHERE " + where)) {
            bind(del, ownerKey);
            del.executeUpdate();
        }
        String columns = String.join(", ", owner) + ", key, value";
        String marks = "?, ".repeat(owner.size()) + "?, ?";
        try (PreparedStatement ins = c.prepareStatement(
                "INSERT INTO " + table + " (" + columns + ") VALUES (" + marks + ")")) {
            for (Map.Entry<String, String> e : labels.entrySet()) {
                if (e.getValue().isEmpty()) {
                    continue;
                }
                bind(ins, ownerKey);
                ins.setString(owner.size() + 1, e.getKey());
                ins.setString(owner.size() + 2, e.getValue());
                ins.addBatch();
            }
            ins.executeBatch();
        }
    }

    private void bind(PreparedStatement ps, String... ownerKey) throws SQLException {
        if (ownerKey.length != owner.size()) {
            throw new IllegalArgumentException(table + ": expected " + owner.size() + " owner columns");
        }
        for (int i = 0; i < ownerKey.length; i++) {
            ps.setString(i + 1, ownerKey[i]);
        }
    }
}
