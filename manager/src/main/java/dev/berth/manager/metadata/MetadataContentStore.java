package dev.berth.manager.metadata;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.manager.content.ContentInfo;
import dev.berth.manager.content.ContentStore;
import dev.berth.manager.content.ContentWriter;
import dev.berth.manager.content.Digest;
import dev.berth.manager.content.IngestStatus;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
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
 * One namespace's view of the shared content backend (containerd {@code metadata/content.go}). A blob is visible
 * here once committed in this namespace; its labels and times live in the database per namespace, so two
 * namespaces holding the same blob each have their own. Ingest refs are namespaced onto the backend as
 * {@code <namespace>/<seq>/<ref>}. Deleting removes this namespace's record only; garbage collection then deletes
 * the blob from the backend when no namespace has it any more.
 *
 * <p>With a lease, writers add their ingest and commits add their blob to that lease.
 */
public final class MetadataContentStore implements ContentStore {

    private final Database db;
    private final ContentStore backend;
    private final String namespace;
    private final Optional<String> lease;
    private final GcScheduler gc;
    private final IngestTable ingests;
    private final IngestLocks locks;

    MetadataContentStore(Database db, ContentStore backend, String namespace, Optional<String> lease,
                         GcScheduler gc, IngestLocks locks) {
        this.db = db;
        this.backend = backend;
        this.namespace = namespace;
        this.lease = lease;
        this.gc = gc;
        this.ingests = new IngestTable(namespace);
        this.locks = locks;
    }

    public String namespace() {
        return namespace;
    }

    @Override
    public ContentInfo info(Digest digest) throws IOException {
        return db.read("info " + digest, c -> require(c, "info", digest));
    }

    /** Updates labels ({@code labels}, {@code labels.<key>}; no paths replace all); other paths are INVALID_ARGUMENT. */
    @Override
    public ContentInfo update(Digest digest, Map<String, String> labels, Set<String> fieldpaths) throws IOException {
        Labels.validate(labels);
        return db.write("update " + digest, c -> {
            ContentInfo current = require(c, "update", digest);
            Map<String, String> updated = Labels.update(current.labels(), labels, fieldpaths, "content " + digest);
            LabelTable.BLOB.replace(c, updated, namespace, digest.toString());
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE blobs SET updated_at = ? WHERE namespace = ? AND digest = ?")) {
                ps.setLong(1, Times.toNanos(db.now()));
                ps.setString(2, namespace);
                ps.setString(3, digest.toString());
                ps.executeUpdate();
            }
            return require(c, "update", digest);
        });
    }

    @Override
    public List<ContentInfo> list() throws IOException {
        return db.read("list content", c -> {
            List<Digest> digests = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT digest FROM blobs WHERE namespace = ? ORDER BY digest")) {
                ps.setString(1, namespace);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        digests.add(Digest.parse(rs.getString(1)));
                    }
                }
            }
            List<ContentInfo> out = new ArrayList<>();
            for (Digest d : digests) {
                out.add(require(c, "list", d));
            }
            return out;
        });
    }

    /** Removes this namespace's record of the blob; the bytes go at the garbage collection that follows. */
    @Override
    public void delete(Digest digest) throws IOException {
        db.write("delete " + digest, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM blobs WHERE namespace = ? AND digest = ?")) {
                ps.setString(1, namespace);
                ps.setString(2, digest.toString());
                if (ps.executeUpdate() == 0) {
                    throw notFound("delete", digest);
                }
            }
            return null;
        });
        gc.afterDelete();
    }

    @Override
    public SeekableByteChannel read(Digest digest) throws IOException {
        // opened under the lock so that a collection cannot delete the blob between the check and the open
        return db.read("read " + digest, c -> {
            require(c, "read", digest);
            return backend.read(digest);
        });
    }

    /**
     * Opens or resumes ingest {@code ref} in this namespace. ALREADY_EXISTS if {@code expected} is already committed
     * here (it is still added to the lease, as containerd does). If another namespace already has {@code expected},
     * the writer is <em>shared</em>: nothing is copied unless data is written, and commit just records the blob
     * for this namespace. The ref is locked until the writer is closed or committed: a second writer of it is
     * UNAVAILABLE ("ref … locked"), shared or not, so that concurrent pulls of one blob take turns.
     */
    @Override
    public ContentWriter writer(String ref, long total, Digest expected) throws IOException {
        if (ref == null || ref.isEmpty()) {
            throw BerthException.invalidArgument("writer: ref must not be empty");
        }
        IngestLocks.Held held = locks.lock(namespace, ref);
        boolean handedOver = false;
        try {
            NamespacedWriter writer = open(ref, total, expected, held);
            handedOver = true;
            return writer;
        } finally {
            if (!handedOver) {
                held.release();
            }
        }
    }

    private NamespacedWriter open(String ref, long total, Digest expected, IngestLocks.Held held)
            throws IOException {
        NamespacedWriter.Opened opened = db.write("writer " + ref, c -> {
            Database.ensureNamespace(c, namespace, db.now());
            if (expected != null && find(c, expected).isPresent()) {
                LeaseStore.addToActive(c, namespace, lease, LeaseResource.content(expected));
                return NamespacedWriter.Opened.alreadyExists();
            }
            long sharedSize = expected == null ? -1 : sharedSize(expected, total);
            IngestTable.Ingest ingest = ingests.open(c, ref, sharedSize >= 0 ? sharedSize : total,
                    Optional.ofNullable(expected), db.now());
            LeaseStore.addToActive(c, namespace, lease, LeaseResource.ingest(ref));
            if (sharedSize >= 0) {
                return NamespacedWriter.Opened.shared(ingest.backendRef(), expected, sharedSize, ingest.startedAt());
            }
            // the backend gets no expected digest: the blob must be committed in this namespace to be seen here;
            // the ingest record keeps it for status and commit
            try {
                return NamespacedWriter.Opened.own(ingest.backendRef(), backend.writer(ingest.backendRef(), total, null),
                        ingest.expected());
            } catch (BerthException e) {
                if (e.kind() == ErrorKind.UNAVAILABLE) {
                    // the backend names its own ref (<namespace>/<seq>/<ref>); the caller knows only its ref
                    throw new BerthException(ErrorKind.UNAVAILABLE, "ref " + ref + " locked", e);
                }
                throw e;
            }
        });
        if (opened.alreadyExistsInNamespace()) {
            throw BerthException.alreadyExists("content " + expected + ": already exists");
        }
        return new NamespacedWriter(this, ref, opened, held);
    }

    @Override
    public IngestStatus status(String ref) throws IOException {
        return db.read("status " + ref, c -> {
            IngestTable.Ingest ingest = ingests.require(c, "status", ref);
            return ingestStatus(ingest).orElseThrow(() -> BerthException.notFound("status " + ref + ": not found"));
        });
    }

    @Override
    public List<IngestStatus> listStatuses() throws IOException {
        return db.read("list ingests", c -> {
            List<IngestStatus> out = new ArrayList<>();
            for (IngestTable.Ingest ingest : ingests.list(c)) {
                ingestStatus(ingest).ifPresent(out::add);
            }
            return out;
        });
    }

    /** Removes ingest {@code ref}; UNAVAILABLE while a writer of it is open, as the backend's abort is. */
    @Override
    public void abort(String ref) throws IOException {
        IngestLocks.Held held = locks.lock(namespace, ref);
        try {
            abortLocked(ref);
        } finally {
            held.release();
        }
    }

    /** Aborts {@code ref}, whose lock the caller holds (a writer whose commit failed verification). */
    void abortLocked(String ref) throws IOException {
        db.write("abort " + ref, c -> {
            IngestTable.Ingest ingest = ingests.require(c, "abort", ref);
            ingests.delete(c, ref);
            try {
                backend.abort(ingest.backendRef());
            } catch (BerthException e) {
                // a shared ingest that never wrote has nothing in the backend
                if (e.kind() != ErrorKind.NOT_FOUND) {
                    throw e;
                }
            }
            return null;
        });
    }

    // ---- used by NamespacedWriter ----

    Database db() {
        return db;
    }

    ContentStore backend() {
        return backend;
    }

    /**
     * Records a committed blob for this namespace inside the commit's transaction: drops the ingest record, inserts
     * the blob record and its labels, moves the lease from the ingest to the blob. False if the namespace already
     * had the blob.
     */
    boolean recordCommit(Connection c, String ref, Digest digest, long size, Map<String, String> labels)
            throws SQLException {
        ingests.delete(c, ref);
        LeaseStore.remove(c, namespace, lease, LeaseResource.ingest(ref));
        LeaseStore.addToActive(c, namespace, lease, LeaseResource.content(digest));
        if (find(c, digest).isPresent()) {
            return false;
        }
        Instant now = db.now();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO blobs (namespace, digest, size, created_at, "
                + "updated_at) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, namespace);
            ps.setString(2, digest.toString());
            ps.setLong(3, size);
            ps.setLong(4, Times.toNanos(now));
            ps.setLong(5, Times.toNanos(now));
            ps.executeUpdate();
        }
        LabelTable.BLOB.replace(c, labels, namespace, digest.toString());
        return true;
    }

    /** The namespace's record of {@code digest}; NOT_FOUND naming operation {@code op} if it has none. */
    ContentInfo require(Connection c, String op, Digest digest) throws SQLException {
        return find(c, digest).orElseThrow(() -> notFound(op, digest));
    }

    /** The size of {@code expected} if the backend already has it with a size matching {@code total}, else -1. */
    private long sharedSize(Digest expected, long total) throws IOException {
        try {
            ContentInfo info = backend.info(expected);
            return total == 0 || total == info.size() ? info.size() : -1;
        } catch (BerthException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                return -1;
            }
            throw e;
        }
    }


    private Optional<IngestStatus> ingestStatus(IngestTable.Ingest ingest) throws IOException {
        try {
            IngestStatus s = backend.status(ingest.backendRef());
            return Optional.of(new IngestStatus(ingest.ref(), s.offset(), s.total(),
                    s.expected() != null ? s.expected() : ingest.expected().orElse(null), s.startedAt(),
                    s.updatedAt()));
        } catch (BerthException e) {
            if (e.kind() != ErrorKind.NOT_FOUND) {
                throw e;
            }
        }
        // a shared ingest is complete from the start: the bytes are already in the backend
        return ingest.expected().map(d -> new IngestStatus(ingest.ref(), ingest.total(), ingest.total(), d,
                ingest.startedAt(), ingest.startedAt()));
    }





    private Optional<ContentInfo> find(Connection c, Digest digest) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT size, created_at, updated_at FROM blobs WHERE namespace = ? AND digest = ?")) {
            ps.setString(1, namespace);
            ps.setString(2, digest.toString());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Map<String, String> labels = new HashMap<>(LabelTable.BLOB.read(c, namespace, digest.toString()));
                return Optional.of(new ContentInfo(digest, rs.getLong(1), Times.fromNanos(rs.getLong(2)),
                        Times.fromNanos(rs.getLong(3)), labels));
            }
        }
    }

    private static BerthException notFound(String op, Digest digest) {
        return BerthException.notFound(op + " " + digest + ": not found");
    }
}
