package dev.berth.manager.metadata;

import dev.berth.api.errdefs.BerthException;
import dev.berth.manager.snapshot.Mount;
import dev.berth.manager.snapshot.SnapshotInfo;
import dev.berth.manager.snapshot.SnapshotKind;
import dev.berth.manager.snapshot.Snapshotter;
import dev.berth.manager.snapshot.Usage;
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

/**
 * One namespace's view of one snapshot backend (containerd {@code metadata/snapshot.go}). Keys and names are
 * namespaced onto the backend as {@code <namespace>/<seq>/<key>}; parents are translated both ways; labels and
 * times live in the database; listing shows only this namespace's snapshots. Removing drops the record, and
 * garbage collection removes the backend snapshot.
 *
 * <p>Each change writes its records and calls the backend last inside one transaction, so a backend failure leaves
 * no record; a backend snapshot left without a record by a crash is removed by the next collection.
 *
 * <p>With a lease, prepared and viewed keys and committed names are added to it ({@code snapshots/<snapshotter>}).
 */
public final class MetadataSnapshotter implements Snapshotter {

    /** Labels passed through to the backend: containerd lets remote snapshotters see these. */
    private static final String BACKEND_LABEL_PREFIX = "containerd.io/snapshot/";

    private final Database db;
    private final Snapshotter backend;
    private final String snapshotter;
    private final String namespace;
    private final Optional<String> lease;
    private final GcScheduler gc;
    private final LiveTasks live;

    MetadataSnapshotter(Database db, Snapshotter backend, String snapshotter, String namespace,
                        Optional<String> lease, GcScheduler gc, LiveTasks live) {
        this.db = db;
        this.backend = backend;
        this.snapshotter = snapshotter;
        this.namespace = namespace;
        this.lease = lease;
        this.gc = gc;
        this.live = live;
    }

    /** The snapshotter's name, e.g. {@code overlayfs}. */
    public String name() {
        return snapshotter;
    }

    @Override
    public SnapshotInfo stat(String key) throws IOException {
        return db.read("stat snapshot " + key, c -> require(c, key).info());
    }

    /** Updates labels ({@code labels}, {@code labels.<key>}; no paths replace all); other paths are INVALID_ARGUMENT. */
    @Override
    public SnapshotInfo update(String key, Map<String, String> labels, Set<String> fieldpaths) throws IOException {
        Labels.validate(labels);
        return db.write("update snapshot " + key, c -> {
            Row row = require(c, key);
            Map<String, String> updated = Labels.update(row.info().labels(), labels, fieldpaths, "snapshot " + key);
            LabelTable.SNAPSHOT.replace(c, updated, namespace, snapshotter, key);
            try (PreparedStatement ps = c.prepareStatement("UPDATE snapshots SET updated_at = ? "
                    + "WHERE namespace = ? AND snapshotter = ? AND key = ?")) {
                ps.setLong(1, Times.toNanos(db.now()));
                ps.setString(2, namespace);
                ps.setString(3, snapshotter);
                ps.setString(4, key);
                ps.executeUpdate();
            }
            return require(c, key).info();
        });
    }

    @Override
    public Usage usage(String key) throws IOException {
        return db.read("usage of snapshot " + key, c -> backend.usage(require(c, key).backendKey()));
    }

    @Override
    public List<Mount> mounts(String key) throws IOException {
        return db.read("mounts of snapshot " + key, c -> backend.mounts(require(c, key).backendKey()));
    }

    @Override
    public List<Mount> prepare(String key, String parent, Map<String, String> labels) throws IOException {
        return create(SnapshotKind.ACTIVE, key, parent, labels);
    }

    @Override
    public List<Mount> view(String key, String parent, Map<String, String> labels) throws IOException {
        return create(SnapshotKind.VIEW, key, parent, labels);
    }

    private List<Mount> create(SnapshotKind kind, String key, String parent, Map<String, String> labels)
            throws IOException {
        String op = (kind == SnapshotKind.VIEW ? "view " : "prepare ") + key;
        if (key == null || key.isEmpty()) {
            throw BerthException.invalidArgument(op + ": key must not be empty");
        }
        Labels.validate(labels);
        return db.write(op, c -> {
            Database.ensureNamespace(c, namespace, db.now());
            if (find(c, key).isPresent()) {
                throw BerthException.alreadyExists("snapshot " + key + ": already exists");
            }
            String backendParent = "";
            if (parent != null && !parent.isEmpty()) {
                backendParent = committedParent(c, op, parent).backendKey();
            }
            String backendKey = backendKey(c, key);
            insert(c, key, backendKey, parent, kind, labels);
            LeaseStore.addToActive(c, namespace, lease, LeaseResource.snapshot(snapshotter, key));
            Map<String, String> passed = backendLabels(labels);
            return kind == SnapshotKind.VIEW
                    ? backend.view(backendKey, backendParent, passed)
                    : backend.prepare(backendKey, backendParent, passed);
        });
    }

    /**
     * Commits active snapshot {@code key} as {@code name}: the record of {@code key} is replaced by one of
     * {@code name} with the given labels and the same parent, or {@code parent} for a snapshot prepared without
     * one (where the backend {@link #canRebase()}); the lease moves from key to name.
     */
    @Override
    public void commit(String name, String key, String parent, Map<String, String> labels) throws IOException {
        String op = "commit " + key + " as " + name;
        if (name == null || name.isEmpty()) {
            throw BerthException.invalidArgument(op + ": name must not be empty");
        }
        Labels.validate(labels);
        db.write(op, c -> {
            Row active = require(c, key);
            if (active.info().kind() != SnapshotKind.ACTIVE) {
                throw BerthException.failedPrecondition(op + ": snapshot " + key + " is "
                        + active.info().kind().name().toLowerCase(java.util.Locale.ROOT) + ", not active");
            }
            if (find(c, name).isPresent()) {
                throw BerthException.alreadyExists("snapshot " + name + ": already exists");
            }
            String committedOn = active.info().parent();
            String backendParent = "";
            if (parent != null && !parent.isEmpty() && !parent.equals(committedOn)) {
                if (!committedOn.isEmpty()) {
                    throw BerthException.failedPrecondition(op + " onto " + parent + ": snapshot " + key
                            + " was prepared on " + committedOn);
                }
                backendParent = committedParent(c, op, parent).backendKey();
                committedOn = parent;
            }
            String backendName = backendKey(c, name);
            insert(c, name, backendName, committedOn, SnapshotKind.COMMITTED, labels);
            delete(c, key);
            LeaseStore.remove(c, namespace, lease, LeaseResource.snapshot(snapshotter, key));
            LeaseStore.addToActive(c, namespace, lease, LeaseResource.snapshot(snapshotter, name));
            backend.commit(backendName, active.backendKey(), backendParent, backendLabels(labels));
            return null;
        });
    }

    /** Whether the backend can commit a snapshot prepared without a parent onto one. */
    @Override
    public boolean canRebase() {
        return backend.canRebase();
    }

    /** The row of {@code parent}: NOT_FOUND if absent, FAILED_PRECONDITION unless committed. */
    private Row committedParent(Connection c, String op, String parent) throws SQLException {
        Row p = find(c, parent).orElseThrow(() -> BerthException.notFound(op + ": parent " + parent
                + " not found"));
        if (p.info().kind() != SnapshotKind.COMMITTED) {
            throw BerthException.failedPrecondition(op + ": parent " + parent + " is not committed");
        }
        return p;
    }

    /**
     * Removes the record of {@code key} (FAILED_PRECONDITION while it has children); garbage collection then
     * removes the backend snapshot.
     */
    @Override
    public void remove(String key) throws IOException {
        requireNoTask(key);
        db.write("remove snapshot " + key, c -> {
            require(c, key);
            if (!column(c, "SELECT key FROM snapshots WHERE namespace = ? AND snapshotter = ? AND parent = ? "
                    + "LIMIT 1", key).isEmpty()) {
                throw BerthException.failedPrecondition("remove snapshot " + key + ": has children");
            }
            delete(c, key);
            return null;
        });
        gc.afterDelete();
    }

    /**
     * FAILED_PRECONDITION if {@code key} is the rootfs of a container that has a task. containerd accepts such a
     * removal and its collection may then take the layers under a mounted rootfs; berthd refuses. A container
     * without a task may lose its snapshot: containerd's client removes it before the container record
     * ({@code WithSnapshotCleanup}). Asked outside the database lock: the answer may come from the shims.
     */
    private void requireNoTask(String key) throws IOException {
        List<String> containers = db.read("remove snapshot " + key, c -> column(c, "SELECT id FROM containers "
                + "WHERE namespace = ? AND snapshotter = ? AND snapshot_key = ? ORDER BY id", key));
        for (String id : containers) {
            if (live.hasTask(namespace, id)) {
                throw BerthException.failedPrecondition("remove snapshot " + key + ": rootfs of container " + id
                        + ", which has a task");
            }
        }
    }

    /** The first column of {@code sql}'s rows; its parameters are this namespace, this snapshotter and {@code key}. */
    private List<String> column(Connection c, String sql, String key) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, namespace);
            ps.setString(2, snapshotter);
            ps.setString(3, key);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    @Override
    public List<SnapshotInfo> list() throws IOException {
        return db.read("list snapshots", c -> {
            List<String> keys = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT key FROM snapshots "
                    + "WHERE namespace = ? AND snapshotter = ? ORDER BY key")) {
                ps.setString(1, namespace);
                ps.setString(2, snapshotter);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        keys.add(rs.getString(1));
                    }
                }
            }
            List<SnapshotInfo> out = new ArrayList<>();
            for (String key : keys) {
                out.add(require(c, key).info());
            }
            return out;
        });
    }

    /**
     * Runs a garbage collection, which removes unreferenced backend snapshots, then has the backend clean up also
     * when the collection removed nothing: what a crash left in the backend (a directory no record names) is not a
     * snapshot the collection can see.
     */
    @Override
    public void cleanup() throws IOException {
        gc.collectNow();
        backend.cleanup();
    }

    /** Nothing to release: the backend belongs to whoever opened the metadata database. */
    @Override
    public void close() {
    }

    /** A record: the public info and the backend key it maps to. */
    private record Row(SnapshotInfo info, String backendKey) {
    }

    private String backendKey(Connection c, String key) throws SQLException {
        return namespace + "/" + Database.nextSequence(c) + "/" + key;
    }

    private static Map<String, String> backendLabels(Map<String, String> labels) {
        Map<String, String> out = new HashMap<>();
        labels.forEach((k, v) -> {
            if (k.startsWith(BACKEND_LABEL_PREFIX)) {
                out.put(k, v);
            }
        });
        return out;
    }

    private void insert(Connection c, String key, String backendKey, String parent, SnapshotKind kind,
                        Map<String, String> labels) throws SQLException {
        Instant now = db.now();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO snapshots (namespace, snapshotter, key, "
                + "backend_key, parent, kind, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, namespace);
            ps.setString(2, snapshotter);
            ps.setString(3, key);
            ps.setString(4, backendKey);
            ps.setString(5, parent == null || parent.isEmpty() ? null : parent);
            ps.setString(6, kind.name());
            ps.setLong(7, Times.toNanos(now));
            ps.setLong(8, Times.toNanos(now));
            ps.executeUpdate();
        }
        LabelTable.SNAPSHOT.replace(c, labels, namespace, snapshotter, key);
    }

    private void delete(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM snapshots WHERE namespace = ? AND snapshotter = ? AND key = ?")) {
            ps.setString(1, namespace);
            ps.setString(2, snapshotter);
            ps.setString(3, key);
            ps.executeUpdate();
        }
    }

    private Row require(Connection c, String key) throws SQLException {
        return find(c, key).orElseThrow(() -> BerthException.notFound("snapshot " + key + ": not found"));
    }

    private Optional<Row> find(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT backend_key, parent, kind, created_at, updated_at "
                + "FROM snapshots WHERE namespace = ? AND snapshotter = ? AND key = ?")) {
            ps.setString(1, namespace);
            ps.setString(2, snapshotter);
            ps.setString(3, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String parent = rs.getString(2);
                SnapshotInfo info = new SnapshotInfo(key, parent == null ? "" : parent,
                        SnapshotKind.valueOf(rs.getString(3)),
                        LabelTable.SNAPSHOT.read(c, namespace, snapshotter, key), Times.fromNanos(rs.getLong(4)),
                        Times.fromNanos(rs.getLong(5)));
                return Optional.of(new Row(info, rs.getString(1)));
            }
        }
    }
}
