package dev.berth.manager.metadata;

import dev.berth.api.errdefs.BerthException;
import dev.berth.manager.identifiers.Identifiers;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** Containers of one namespace (containerd {@code metadata/containers.go}). */
public final class ContainerStore {

    /** What an update without fieldpaths replaces; containerd treats the other fields as immutable. */
    private static final List<String> REPLACEABLE = List.of("labels", "spec", "extensions", "image", "snapshotkey");

    private final Database db;
    private final String namespace;
    private final GcScheduler gc;

    ContainerStore(Database db, String namespace, GcScheduler gc) {
        this.db = db;
        this.namespace = namespace;
        this.gc = gc;
    }

    /**
     * A container that names an image must name one of its namespace's images. containerd does not check this;
     * berthd does, so that a typo is a NOT_FOUND at create rather than a container no one can run.
     */
    private void requireImage(java.sql.Connection c, String id, String image) throws java.sql.SQLException {
        if (image == null || image.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM images WHERE namespace = ? AND name = ?")) {
            ps.setString(1, namespace);
            ps.setString(2, image);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw BerthException.notFound("create container " + id + ": image " + image + " not found");
                }
            }
        }
    }

    public ContainerRecord create(ContainerRecord container) throws IOException {
        String id = container.id();
        try {
            Identifiers.validate(id);
        } catch (BerthException e) {
            throw BerthException.invalidArgument("create container: " + e.getMessage());
        }
        validate(container, "create container " + id);
        return db.write("create container " + id, c -> {
            Database.ensureNamespace(c, namespace, db.now());
            if (find(c, id).isPresent()) {
                throw BerthException.alreadyExists("container " + id + ": already exists");
            }
            requireImage(c, id, container.image());
            Instant now = db.now();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO containers (namespace, id, image, runtime_name, "
                    + "runtime_options_type, runtime_options, spec_type, spec, snapshotter, snapshot_key, sandbox, "
                    + "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, namespace);
                ps.setString(2, id);
                ps.setString(3, container.image());
                ps.setString(4, container.runtime().name());
                ps.setString(5, container.runtime().options().typeUrl());
                ps.setBytes(6, container.runtime().options().value());
                ps.setString(7, container.spec().typeUrl());
                ps.setBytes(8, container.spec().value());
                ps.setString(9, container.snapshotter());
                ps.setString(10, container.snapshotKey());
                ps.setString(11, container.sandbox());
                ps.setLong(12, Times.toNanos(now));
                ps.setLong(13, Times.toNanos(now));
                ps.executeUpdate();
            }
            LabelTable.CONTAINER.replace(c, container.labels(), namespace, id);
            writeExtensions(c, id, container.extensions());
            return find(c, id).orElseThrow();
        });
    }

    public ContainerRecord get(String id) throws IOException {
        return db.read("get container " + id, c -> require(c, id));
    }

    public List<ContainerRecord> list() throws IOException {
        return db.read("list containers", c -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id FROM containers WHERE namespace = ? ORDER BY id")) {
                ps.setString(1, namespace);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
            }
            List<ContainerRecord> out = new ArrayList<>();
            for (String id : ids) {
                out.add(find(c, id).orElseThrow());
            }
            return out;
        });
    }

    /**
     * Updates the fields named in {@code fieldpaths}, as containerd: {@code labels}, {@code labels.<key>},
     * {@code spec}, {@code extensions}, {@code extensions.<key>}, {@code image}, {@code snapshotkey}. No paths
     * replace exactly those fields, and then a different snapshotter or runtime name is INVALID_ARGUMENT because
     * they are immutable. Other paths are INVALID_ARGUMENT.
     */
    public ContainerRecord update(ContainerRecord container, Set<String> fieldpaths) throws IOException {
        String id = container.id();
        return db.write("update container " + id, c -> {
            ContainerRecord current = require(c, id);
            Set<String> paths = fieldpaths;
            if (paths.isEmpty()) {
                if (!container.snapshotter().equals(current.snapshotter())) {
                    throw BerthException.invalidArgument("update container " + id
                            + ": container.Snapshotter field is immutable");
                }
                if (!container.runtime().name().equals(current.runtime().name())) {
                    throw BerthException.invalidArgument("update container " + id
                            + ": container.Runtime.Name field is immutable");
                }
                paths = Set.copyOf(REPLACEABLE);
            }
            ContainerRecord updated = apply(current, container, paths);
            validate(updated, "update container " + id);
            try (PreparedStatement ps = c.prepareStatement("UPDATE containers SET image = ?, spec_type = ?, spec = ?, "
                    + "snapshot_key = ?, updated_at = ? WHERE namespace = ? AND id = ?")) {
                ps.setString(1, updated.image());
                ps.setString(2, updated.spec().typeUrl());
                ps.setBytes(3, updated.spec().value());
                ps.setString(4, updated.snapshotKey());
                ps.setLong(5, Times.toNanos(db.now()));
                ps.setString(6, namespace);
                ps.setString(7, id);
                ps.executeUpdate();
            }
            LabelTable.CONTAINER.replace(c, updated.labels(), namespace, id);
            writeExtensions(c, id, updated.extensions());
            return find(c, id).orElseThrow();
        });
    }

    /** Deletes the container record; its snapshot and anything else only it kept alive is garbage-collected. */
    public void delete(String id) throws IOException {
        db.write("delete container " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM containers WHERE namespace = ? AND id = ?")) {
                ps.setString(1, namespace);
                ps.setString(2, id);
                if (ps.executeUpdate() == 0) {
                    throw BerthException.notFound("container " + id + ": not found");
                }
            }
            return null;
        });
        gc.afterDelete();
    }

    private static ContainerRecord apply(ContainerRecord current, ContainerRecord requested, Set<String> paths) {
        Map<String, String> labels = new HashMap<>(current.labels());
        Map<String, AnyValue> extensions = new HashMap<>(current.extensions());
        ContainerRecord.Builder b = current.toBuilder();
        for (String path : paths) {
            if (path.startsWith("labels.")) {
                String key = path.substring("labels.".length());
                labels.put(key, requested.labels().getOrDefault(key, ""));
            } else if (path.startsWith("extensions.")) {
                String key = path.substring("extensions.".length());
                AnyValue value = requested.extensions().get(key);
                if (value == null) {
                    extensions.remove(key);
                } else {
                    extensions.put(key, value);
                }
            } else {
                switch (path) {
                    case "labels" -> labels = new HashMap<>(requested.labels());
                    case "spec" -> b.spec(requested.spec());
                    case "extensions" -> extensions = new HashMap<>(requested.extensions());
                    case "image" -> b.image(requested.image());
                    case "snapshotkey" -> b.snapshotKey(requested.snapshotKey());
                    default -> throw BerthException.invalidArgument("cannot update \"" + path + "\" field on container "
                            + current.id());
                }
            }
        }
        return b.labels(Labels.stored(labels)).extensions(extensions).build();
    }

    private static void validate(ContainerRecord container, String operation) {
        try {
            Labels.validate(container.labels());
        } catch (BerthException e) {
            throw BerthException.invalidArgument(operation + ": " + e.getMessage());
        }
        if (container.runtime().name().isEmpty()) {
            throw BerthException.invalidArgument(operation + ": container.Runtime.Name must be set");
        }
        if (container.spec().isEmpty()) {
            throw BerthException.invalidArgument(operation + ": container.Spec must be set");
        }
        if (!container.snapshotKey().isEmpty() && container.snapshotter().isEmpty()) {
            throw BerthException.invalidArgument(operation
                    + ": container.Snapshotter must be set if container.SnapshotKey is set");
        }
        if (container.extensions().containsKey("")) {
            throw BerthException.invalidArgument(operation + ": container.Extension keys must not be zero-length");
        }
    }

    private void writeExtensions(Connection c, String id, Map<String, AnyValue> extensions) throws SQLException {
        try (PreparedStatement del = c.prepareStatement(
                "DELETE FROM container_extensions WHERE namespace = ? AND container = ?")) {
            del.setString(1, namespace);
            del.setString(2, id);
            del.executeUpdate();
        }
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO container_extensions "
                + "(namespace, container, name, type_url, value) VALUES (?, ?, ?, ?, ?)")) {
            for (Map.Entry<String, AnyValue> e : extensions.entrySet()) {
                ins.setString(1, namespace);
                ins.setString(2, id);
                ins.setString(3, e.getKey());
                ins.setString(4, e.getValue().typeUrl());
                ins.setBytes(5, e.getValue().value());
                ins.executeUpdate();
            }
        }
    }

    private Map<String, AnyValue> readExtensions(Connection c, String id) throws SQLException {
        Map<String, AnyValue> out = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT name, type_url, value FROM container_extensions WHERE namespace = ? AND container = ?")) {
            ps.setString(1, namespace);
            ps.setString(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new AnyValue(rs.getString(2), bytes(rs, 3)));
                }
            }
        }
        return out;
    }

    private ContainerRecord require(Connection c, String id) throws SQLException {
        return find(c, id).orElseThrow(() -> BerthException.notFound("container " + id + ": not found"));
    }

    private Optional<ContainerRecord> find(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT image, runtime_name, runtime_options_type, "
                + "runtime_options, spec_type, spec, snapshotter, snapshot_key, sandbox, created_at, updated_at "
                + "FROM containers WHERE namespace = ? AND id = ?")) {
            ps.setString(1, namespace);
            ps.setString(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                ContainerRecord.Runtime runtime = new ContainerRecord.Runtime(rs.getString(2),
                        new AnyValue(rs.getString(3), bytes(rs, 4)));
                return Optional.of(new ContainerRecord(id, LabelTable.CONTAINER.read(c, namespace, id),
                        rs.getString(1), runtime, new AnyValue(rs.getString(5), bytes(rs, 6)), rs.getString(7),
                        rs.getString(8), Times.fromNanos(rs.getLong(10)), Times.fromNanos(rs.getLong(11)),
                        readExtensions(c, id), rs.getString(9)));
            }
        }
    }

    /** SQLite hands back an empty BLOB as null. */
    private static byte[] bytes(ResultSet rs, int column) throws SQLException {
        byte[] b = rs.getBytes(column);
        return b == null ? new byte[0] : b;
    }
}
