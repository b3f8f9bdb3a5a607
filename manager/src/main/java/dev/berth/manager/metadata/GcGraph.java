package dev.berth.manager.metadata;

import dev.berth.log.Log;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The reference graph of one garbage collection, read from the database in one pass (containerd
 * {@code metadata/gc.go}: {@code scanRoots}, {@code references}, {@code scanAll}).
 *
 * <p>Nodes are blob records ({@code namespace, digest}) and snapshot records ({@code namespace, snapshotter,
 * key}). Roots: image targets; container snapshots; the resources of unexpired leases; records labelled
 * {@code containerd.io/gc.root}; and whatever images' and containers' {@code gc.ref} labels name. Edges: a record's
 * {@code containerd.io/gc.ref.content[.<name>]} labels (to a blob) and {@code containerd.io/gc.ref.snapshot.<snapshotter>}
 * labels (to a snapshot), and a snapshot's parent. References never cross namespaces.
 */
final class GcGraph {

    private static final Log LOG = Log.of(GcGraph.class);

    enum Type { CONTENT, SNAPSHOT }

    /** A record the collector may keep or remove; {@code snapshotter} is empty for content. */
    record Node(Type type, String namespace, String snapshotter, String key) {
        static Node content(String namespace, String digest) {
            return new Node(Type.CONTENT, namespace, "", digest);
        }

        static Node snapshot(String namespace, String snapshotter, String key) {
            return new Node(Type.SNAPSHOT, namespace, snapshotter, key);
        }
    }

    /** A lease by namespace and id. */
    record LeaseKey(String namespace, String id) {
    }

    private final Set<Node> roots = new HashSet<>();
    private final Map<Node, List<Node>> edges = new HashMap<>();
    private final Set<Node> records = new HashSet<>();
    private final Set<LeaseKey> expiredLeases = new HashSet<>();

    private GcGraph() {
    }

    static GcGraph load(Connection c, Instant now) throws SQLException {
        GcGraph g = new GcGraph();
        g.loadLeases(c, now);
        g.loadImages(c);
        g.loadContainers(c);
        g.loadBlobs(c);
        g.loadSnapshots(c);
        return g;
    }

    /** Every record reachable from a root. */
    Set<Node> reachable() {
        Set<Node> seen = new HashSet<>(roots);
        Deque<Node> queue = new ArrayDeque<>(roots);
        while (!queue.isEmpty()) {
            for (Node next : edges.getOrDefault(queue.pop(), List.of())) {
                if (seen.add(next)) {
                    queue.push(next);
                }
            }
        }
        return seen;
    }

    /** Every blob and snapshot record in the database. */
    Set<Node> records() {
        return records;
    }

    Set<LeaseKey> expiredLeases() {
        return expiredLeases;
    }

    private void loadLeases(Connection c, Instant now) throws SQLException {
        query(c, "SELECT namespace, lease, value FROM lease_labels WHERE key = '" + GcLabels.EXPIRE + "'", rs -> {
            LeaseKey lease = new LeaseKey(rs.getString(1), rs.getString(2));
            if (expired(lease, rs.getString(3), now)) {
                expiredLeases.add(lease);
            }
        });
        query(c, "SELECT namespace, lease, type, id FROM lease_resources", rs -> {
            String ns = rs.getString(1);
            if (expiredLeases.contains(new LeaseKey(ns, rs.getString(2)))) {
                return;
            }
            LeaseResource resource = new LeaseResource(rs.getString(4), rs.getString(3));
            if (resource.type().equals(LeaseResource.CONTENT)) {
                roots.add(Node.content(ns, resource.id()));
            } else if (resource.isSnapshot()) {
                roots.add(Node.snapshot(ns, resource.snapshotter(), resource.id()));
            }
            // ingests are kept by their own records until committed or aborted
        });
    }

    private static boolean expired(LeaseKey lease, String value, Instant now) {
        try {
            return OffsetDateTime.parse(value).toInstant().isBefore(now);
        } catch (DateTimeParseException e) {
            // containerd keeps a lease whose expiry it cannot read
            LOG.warn("invalid lease expiry label; lease kept", "namespace", lease.namespace(), "lease", lease.id(),
                    "label", GcLabels.EXPIRE, "value", value);
            return false;
        }
    }

    private void loadImages(Connection c) throws SQLException {
        query(c, "SELECT namespace, digest FROM images", rs -> roots.add(Node.content(rs.getString(1), rs.getString(2))));
        query(c, "SELECT namespace, key, value FROM image_labels WHERE key GLOB 'containerd.io/gc.ref.*'",
                rs -> reference(rs.getString(1), rs.getString(2), rs.getString(3)).ifPresent(roots::add));
    }

    private void loadContainers(Connection c) throws SQLException {
        query(c, "SELECT namespace, snapshotter, snapshot_key FROM containers "
                        + "WHERE snapshotter <> '' AND snapshot_key <> ''",
                rs -> roots.add(Node.snapshot(rs.getString(1), rs.getString(2), rs.getString(3))));
        query(c, "SELECT namespace, key, value FROM container_labels WHERE key GLOB 'containerd.io/gc.ref.*'",
                rs -> reference(rs.getString(1), rs.getString(2), rs.getString(3)).ifPresent(roots::add));
    }

    private void loadBlobs(Connection c) throws SQLException {
        query(c, "SELECT namespace, digest FROM blobs", rs -> records.add(Node.content(rs.getString(1), rs.getString(2))));
        query(c, "SELECT namespace, digest, key, value FROM blob_labels WHERE key GLOB 'containerd.io/gc.*'", rs -> {
            Node from = Node.content(rs.getString(1), rs.getString(2));
            labelled(from, rs.getString(3), rs.getString(4));
        });
    }

    private void loadSnapshots(Connection c) throws SQLException {
        query(c, "SELECT namespace, snapshotter, key, parent FROM snapshots", rs -> {
            Node node = Node.snapshot(rs.getString(1), rs.getString(2), rs.getString(3));
            records.add(node);
            String parent = rs.getString(4);
            if (parent != null) {
                edge(node, Node.snapshot(node.namespace(), node.snapshotter(), parent));
            }
        });
        query(c, "SELECT namespace, snapshotter, snapshot, key, value FROM snapshot_labels "
                + "WHERE key GLOB 'containerd.io/gc.*'", rs -> {
            Node from = Node.snapshot(rs.getString(1), rs.getString(2), rs.getString(3));
            labelled(from, rs.getString(4), rs.getString(5));
        });
    }

    /** A gc label on a blob or snapshot record: a root mark, or an edge to what it references. */
    private void labelled(Node from, String key, String value) {
        if (key.equals(GcLabels.ROOT)) {
            roots.add(from);
        } else {
            reference(from.namespace(), key, value).ifPresent(to -> edge(from, to));
        }
    }

    /**
     * The record a {@code gc.ref} label names: {@code containerd.io/gc.ref.content} or
     * {@code containerd.io/gc.ref.content.<anything>} (the {@code l.<n>}, {@code m.<n>}, {@code config} forms
     * included) to a blob; {@code containerd.io/gc.ref.snapshot.<snapshotter>} to a snapshot key.
     */
    static Optional<Node> reference(String namespace, String key, String value) {
        if (key.equals(GcLabels.REF_CONTENT) || key.startsWith(GcLabels.REF_CONTENT + ".")) {
            return Optional.of(Node.content(namespace, value));
        }
        if (key.startsWith(GcLabels.REF_SNAPSHOT_PREFIX) && key.length() > GcLabels.REF_SNAPSHOT_PREFIX.length()) {
            return Optional.of(Node.snapshot(namespace, key.substring(GcLabels.REF_SNAPSHOT_PREFIX.length()), value));
        }
        return Optional.empty();
    }

    private void edge(Node from, Node to) {
        edges.computeIfAbsent(from, k -> new ArrayList<>()).add(to);
    }

    private interface Row {
        void accept(ResultSet rs) throws SQLException;
    }

    private static void query(Connection c, String sql, Row row) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                row.accept(rs);
            }
        }
    }
}
