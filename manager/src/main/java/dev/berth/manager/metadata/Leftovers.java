package dev.berth.manager.metadata;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.manager.content.ContentStore;
import dev.berth.manager.content.IngestStatus;
import dev.berth.log.Log;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Removes what interrupted work left behind (a pull killed with berthd, a stream cut short, a full disk): berthd's
 * own leases of an earlier run, ingests nobody has written to for a while, and backend ingests no record names.
 * containerd leaves this to its scheduled collection (expired leases) and its content store's ingest cleanup;
 * berthd runs it at start and on a schedule.
 */
final class Leftovers {

    private static final Log LOG = Log.of(Leftovers.class);
    /** The leases berthd makes for its own work (image pull, import, commit): {@code <verb>-<millis>-<hex>}. */
    static final Pattern OWN_LEASE = Pattern.compile("(pull|import|commit)-[0-9]+-[0-9a-f]+");

    private final Database db;
    private final ContentStore backend;
    private final IngestLocks locks;

    Leftovers(Database db, ContentStore backend, IngestLocks locks) {
        this.db = db;
        this.backend = backend;
        this.locks = locks;
    }

    /** A lease or an ingest, named {@code <namespace>/<id>}. */
    private record Named(String namespace, String id) {
        @Override
        public String toString() {
            return namespace + "/" + id;
        }
    }

    /**
     * Deletes berthd's own leases created before {@code startedAt}: the work that made them died with an earlier
     * berthd, so they only keep its leftovers alive (for 24 hours). Returns them as {@code <namespace>/<id>}.
     */
    List<String> dropOwnLeases(Instant startedAt) throws IOException {
        return db.write("drop leases of an earlier berthd", c -> {
            List<Named> leases = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT namespace, id FROM leases WHERE created_at < ? ORDER BY namespace, id")) {
                ps.setLong(1, Times.toNanos(startedAt));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (OWN_LEASE.matcher(rs.getString(2)).matches()) {
                            leases.add(new Named(rs.getString(1), rs.getString(2)));
                        }
                    }
                }
            }
            try (PreparedStatement del = c.prepareStatement("DELETE FROM leases WHERE namespace = ? AND id = ?")) {
                for (Named lease : leases) {
                    del.setString(1, lease.namespace());
                    del.setString(2, lease.id());
                    del.executeUpdate();
                }
            }
            return leases.stream().map(Named::toString).toList();
        });
    }

    /**
     * Aborts every ingest last written before {@code cutoff} that no writer holds, and every backend ingest that
     * no record names (what a crash between the two left). Runs under the database lock, so no writer opens
     * meanwhile. Returns the aborted refs as {@code <namespace>/<ref>}, then the bare backend refs.
     */
    List<String> removeStaleIngests(Instant cutoff) throws IOException {
        return db.exclusive("remove stale ingests", c -> {
            List<String> removed = new ArrayList<>();
            Set<String> recorded = new HashSet<>();
            for (Row row : rows(c)) {
                if (abortIfStale(row, cutoff)) {
                    removed.add(row.name().toString());
                } else {
                    recorded.add(row.backendRef());
                }
            }
            for (IngestStatus s : backend.listStatuses()) {
                if (!recorded.contains(s.ref()) && abortBackend(s.ref())) {
                    removed.add(s.ref());
                }
            }
            if (!removed.isEmpty()) {
                LOG.info("stale ingests removed", "count", removed.size(), "cutoff", cutoff);
            }
            return removed;
        });
    }

    private record Row(Named name, String backendRef, Instant startedAt) {
    }

    private static List<Row> rows(Connection c) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT namespace, ref, backend_ref, started_at FROM ingests");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new Row(new Named(rs.getString(1), rs.getString(2)), rs.getString(3),
                        Times.fromNanos(rs.getLong(4))));
            }
        }
        return rows;
    }

    private boolean abortIfStale(Row row, Instant cutoff) throws IOException {
        IngestLocks.Held held;
        try {
            held = locks.lock(row.name().namespace(), row.name().id());
        } catch (BerthException e) {
            return false; // a writer is at it: not stale
        }
        try {
            Instant updated = lastWrite(row);
            if (!updated.isBefore(cutoff)) {
                return false;
            }
            db.write("remove stale ingest " + row.name(), c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "DELETE FROM ingests WHERE namespace = ? AND ref = ?")) {
                    ps.setString(1, row.name().namespace());
                    ps.setString(2, row.name().id());
                    ps.executeUpdate();
                }
                return null;
            });
            abortBackend(row.backendRef());
            return true;
        } finally {
            held.release();
        }
    }

    /** When the ingest was last written; a shared ingest that never wrote has only its start. */
    private Instant lastWrite(Row row) throws IOException {
        try {
            return backend.status(row.backendRef()).updatedAt();
        } catch (BerthException e) {
            if (e.kind() != ErrorKind.NOT_FOUND) {
                throw e;
            }
            return row.startedAt();
        }
    }

    /** Aborts a backend ingest; false if it is gone already or a writer holds it. */
    private boolean abortBackend(String ref) throws IOException {
        try {
            backend.abort(ref);
            return true;
        } catch (BerthException e) {
            if (e.kind() == ErrorKind.NOT_FOUND || e.kind() == ErrorKind.UNAVAILABLE) {
                return false;
            }
            throw e;
        }
    }
}
