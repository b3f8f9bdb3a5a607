package dev.berth.manager.metadata;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.log.Log;
import dev.berth.manager.content.ContentInfo;
import dev.berth.manager.content.ContentStore;
import dev.berth.manager.content.Digest;
import dev.berth.manager.snapshot.SnapshotInfo;
import dev.berth.manager.snapshot.Snapshotter;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Mark and sweep over all namespaces (containerd {@code metadata/db.go}, {@code GarbageCollect}). One collection:
 * <ol>
 * <li>in one transaction, mark what {@link GcGraph} reaches from the roots, delete the blob and snapshot records it
 * does not reach and the expired leases;
 * <li>delete from the content backend every blob no namespace has a record of (nor an open shared ingest expects);
 * <li>remove from each snapshot backend every snapshot no record maps to, children before parents, then let the
 * backend clean up its directories.
 * </ol>
 * The database lock is held throughout, so no commit or prepare can slip in between the mark and the backend
 * deletes: a blob committed meanwhile would otherwise look unreferenced.
 *
 * <p>Unlike containerd, which schedules collections in the background, berthd collects synchronously after each
 * delete of an image, container, lease, lease resource, blob, snapshot or namespace. That is simpler, makes deletes
 * observable at once (tests, {@code ctr} right after {@code rm}), and the cost is one pass over the tables.
 */
final class GarbageCollector {

    private static final Log LOG = Log.of(GarbageCollector.class);

    private final Database db;
    private final ContentStore content;
    private final Map<String, Snapshotter> snapshotters;

    GarbageCollector(Database db, ContentStore content, Map<String, Snapshotter> snapshotters) {
        this.db = db;
        this.content = content;
        this.snapshotters = Map.copyOf(snapshotters);
    }

    GcReport collect() throws IOException {
        return db.exclusive("garbage collect", ignored -> {
            long start = System.nanoTime();
            Swept swept = db.write("garbage collect: sweep records", this::sweepRecords);
            List<Digest> blobs = removeBlobs();
            List<String> snapshots = new ArrayList<>();
            for (Map.Entry<String, Snapshotter> e : snapshotters.entrySet()) {
                snapshots.addAll(removeSnapshots(e.getKey(), e.getValue()));
            }
            GcReport report = new GcReport(swept.blobs(), swept.snapshots(), swept.leases(), blobs, snapshots,
                    Duration.ofNanos(System.nanoTime() - start));
            LOG.debug("garbage collected", "content_records", report.contentRecords(),
                    "snapshot_records", report.snapshotRecords(), "expired_leases", report.expiredLeases(),
                    "blobs", report.blobs().size(), "snapshots", report.snapshots().size(),
                    "elapsed_ms", report.elapsed().toMillis());
            return report;
        });
    }

    /**
     * Collects after a delete whose own transaction has already committed. The delete stands even if collection
     * fails; the failure is logged and the next collection (after the next delete, or an explicit one) retries.
     */
    void collectAfterDelete() {
        try {
            collect();
        } catch (IOException | BerthException e) {
            LOG.warn("garbage collection after delete failed", e);
        }
    }

    /** How many records one sweep removed. */
    private record Swept(int blobs, int snapshots, int leases) {
    }

    private Swept sweepRecords(Connection c) throws SQLException {
        GcGraph graph = GcGraph.load(c, db.now());
        Set<GcGraph.Node> live = graph.reachable();
        int blobs = 0;
        int snapshots = 0;
        try (PreparedStatement delBlob = c.prepareStatement("DELETE FROM blobs WHERE namespace = ? AND digest = ?");
             PreparedStatement delSnap = c.prepareStatement(
                     "DELETE FROM snapshots WHERE namespace = ? AND snapshotter = ? AND key = ?")) {
            for (GcGraph.Node node : graph.records()) {
                if (live.contains(node)) {
                    continue;
                }
                if (node.type() == GcGraph.Type.CONTENT) {
                    delBlob.setString(1, node.namespace());
                    delBlob.setString(2, node.key());
                    blobs += delBlob.executeUpdate();
                } else {
                    // the parent foreign key is deferred, so the order within a chain does not matter here
                    delSnap.setString(1, node.namespace());
                    delSnap.setString(2, node.snapshotter());
                    delSnap.setString(3, node.key());
                    snapshots += delSnap.executeUpdate();
                }
            }
        }
        int leases = 0;
        try (PreparedStatement delLease = c.prepareStatement("DELETE FROM leases WHERE namespace = ? AND id = ?")) {
            for (GcGraph.LeaseKey lease : graph.expiredLeases()) {
                delLease.setString(1, lease.namespace());
                delLease.setString(2, lease.id());
                leases += delLease.executeUpdate();
            }
        }
        return new Swept(blobs, snapshots, leases);
    }

    private List<Digest> removeBlobs() throws IOException {
        Set<String> keep = db.read("garbage collect: referenced blobs", c -> strings(c,
                "SELECT digest FROM blobs UNION SELECT expected FROM ingests WHERE expected IS NOT NULL"));
        List<Digest> removed = new ArrayList<>();
        for (ContentInfo info : content.list()) {
            if (keep.contains(info.digest().toString())) {
                continue;
            }
            try {
                content.delete(info.digest());
                removed.add(info.digest());
                LOG.debug("blob removed", "digest", info.digest());
            } catch (BerthException e) {
                if (e.kind() != ErrorKind.NOT_FOUND) {
                    throw e;
                }
            }
        }
        return removed;
    }

    /** Removes unreferenced backend snapshots leaves first; returns them as {@code <snapshotter>/<key>}. */
    private List<String> removeSnapshots(String name, Snapshotter backend) throws IOException {
        Set<String> keep = db.read("garbage collect: referenced snapshots", c -> strings(c,
                "SELECT backend_key FROM snapshots WHERE snapshotter = ?", name));
        List<SnapshotInfo> remaining = new ArrayList<>(backend.list());
        List<String> removed = new ArrayList<>();
        boolean progress = true;
        while (progress) {
            progress = false;
            Set<String> parents = new HashSet<>();
            for (SnapshotInfo info : remaining) {
                parents.add(info.parent());
            }
            for (SnapshotInfo info : List.copyOf(remaining)) {
                if (keep.contains(info.name()) || parents.contains(info.name())) {
                    continue;
                }
                backend.remove(info.name());
                LOG.debug("snapshot removed", "snapshotter", name, "key", info.name());
                remaining.remove(info);
                removed.add(name + "/" + info.name());
                progress = true;
            }
        }
        if (!removed.isEmpty()) {
            backend.cleanup();
        }
        return removed;
    }

    private static Set<String> strings(Connection c, String sql, String... params) throws SQLException {
        Set<String> out = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
