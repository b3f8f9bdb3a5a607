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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Mark and sweep over all namespaces (containerd {@code metadata/db.go}, {@code GarbageCollect}). One collection:
 * <ol>
 * <li>in one transaction, mark what {@link GcGraph} reaches from the roots, delete the blob and snapshot records it
 * does not reach and the expired leases;
 * <li>delete from the content backend every blob no namespace has a record of (nor an open shared ingest expects);
 * <li>remove from each snapshot backend every snapshot no record maps to, children before parents, then let the
 * backend clean up its directories.
 * </ol>
 * The database lock is held through the first two steps, so no commit or prepare can slip in between the mark and
 * the blob deletes: a blob committed meanwhile would otherwise look unreferenced. The third runs outside it, on
 * the backend snapshots found unreferenced under it: a backend key comes from the database's sequence and is never
 * used again, so no record can come to name one of them, and the next request need not wait for directories to be
 * removed. Collections run one at a time.
 *
 * <p>{@link GcScheduler} runs collections in the background after deletes, as containerd's scheduler does.
 */
final class GarbageCollector {

    private static final Log LOG = Log.of(GarbageCollector.class);

    private final Database db;
    private final ContentStore content;
    private final Map<String, Snapshotter> snapshotters;
    private final ReentrantLock collecting = new ReentrantLock();

    GarbageCollector(Database db, ContentStore content, Map<String, Snapshotter> snapshotters) {
        this.db = db;
        this.content = content;
        this.snapshotters = Map.copyOf(snapshotters);
    }

    GcReport collect() throws IOException {
        collecting.lock();
        try {
            long start = System.nanoTime();
            Marked marked = db.exclusive("garbage collect", ignored -> {
                Swept swept = db.write("garbage collect: sweep records", this::sweepRecords);
                List<Digest> blobs = removeBlobs();
                Map<String, Unreferenced> snapshots = new LinkedHashMap<>();
                for (Map.Entry<String, Snapshotter> e : snapshotters.entrySet()) {
                    snapshots.put(e.getKey(), unreferenced(e.getKey(), e.getValue()));
                }
                return new Marked(swept, blobs, snapshots);
            });
            List<String> snapshots = new ArrayList<>();
            for (Map.Entry<String, Unreferenced> e : marked.snapshots().entrySet()) {
                snapshots.addAll(removeSnapshots(e.getKey(), snapshotters.get(e.getKey()), e.getValue()));
            }
            Swept swept = marked.swept();
            GcReport report = new GcReport(swept.blobs(), swept.snapshots(), swept.leases(), marked.blobs(),
                    snapshots, Duration.ofNanos(System.nanoTime() - start));
            LOG.debug("garbage collected", "content_records", report.contentRecords(),
                    "snapshot_records", report.snapshotRecords(), "expired_leases", report.expiredLeases(),
                    "blobs", report.blobs().size(), "snapshots", report.snapshots().size(),
                    "elapsed_ms", report.elapsed().toMillis());
            return report;
        } finally {
            collecting.unlock();
        }
    }

    /** How many records one sweep removed. */
    private record Swept(int blobs, int snapshots, int leases) {
    }

    /** What the part under the database lock did and found. */
    private record Marked(Swept swept, List<Digest> blobs, Map<String, Unreferenced> snapshots) {
    }

    /** A backend's snapshots as listed under the lock, and the backend keys no record maps to. */
    private record Unreferenced(List<SnapshotInfo> all, Set<String> names) {
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

    /** Under the database lock: the backend's snapshots and which of them no record maps to. */
    private Unreferenced unreferenced(String name, Snapshotter backend) throws IOException {
        Set<String> keep = db.read("garbage collect: referenced snapshots", c -> strings(c,
                "SELECT backend_key FROM snapshots WHERE snapshotter = ?", name));
        List<SnapshotInfo> all = backend.list();
        Set<String> names = new HashSet<>();
        for (SnapshotInfo info : all) {
            if (!keep.contains(info.name())) {
                names.add(info.name());
            }
        }
        return new Unreferenced(all, names);
    }

    /**
     * Outside the database lock: removes the unreferenced backend snapshots leaves first (a snapshot made since
     * the listing cannot have one of them as its parent: its parent would have needed a record); returns them
     * as {@code <snapshotter>/<key>}.
     */
    private List<String> removeSnapshots(String name, Snapshotter backend, Unreferenced unreferenced)
            throws IOException {
        if (unreferenced.names().isEmpty()) {
            return List.of();
        }
        List<SnapshotInfo> remaining = new ArrayList<>(unreferenced.all());
        List<String> removed = new ArrayList<>();
        boolean progress = true;
        while (progress) {
            progress = false;
            Set<String> parents = new HashSet<>();
            for (SnapshotInfo info : remaining) {
                parents.add(info.parent());
            }
            for (SnapshotInfo info : List.copyOf(remaining)) {
                if (!unreferenced.names().contains(info.name()) || parents.contains(info.name())) {
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
