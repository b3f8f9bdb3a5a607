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
import java.util.Optional;
import java.util.regex.Pattern;

/** Leases of one namespace (containerd {@code metadata/leases.go}). */
public final class LeaseStore {

    private static final Pattern LEASE_ID = Pattern.compile("[A-Za-z0-9._-]+");

    private final Database db;
    private final String namespace;
    private final GcScheduler gc;

    LeaseStore(Database db, String namespace, GcScheduler gc) {
        this.db = db;
        this.namespace = namespace;
        this.gc = gc;
    }

    /** Creates a lease; give it a {@link GcLabels#EXPIRE} label (RFC 3339) to let it expire. */
    public LeaseRecord create(String id, Map<String, String> labels) throws IOException {
        validateId(id);
        Labels.validate(labels);
        return db.write("create lease " + id, c -> {
            Database.ensureNamespace(c, namespace, db.now());
            if (find(c, namespace, id).isPresent()) {
                throw BerthException.alreadyExists("lease " + id + ": already exists");
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO leases (namespace, id, created_at) VALUES (?, ?, ?)")) {
                ps.setString(1, namespace);
                ps.setString(2, id);
                ps.setLong(3, Times.toNanos(db.now()));
                ps.executeUpdate();
            }
            LabelTable.LEASE.replace(c, labels, namespace, id);
            return find(c, namespace, id).orElseThrow();
        });
    }

    /**
     * INVALID_ARGUMENT unless {@code id} is a non-empty run of letters, digits, {@code .}, {@code _} and {@code -}.
     * Looser than {@link Identifiers}: containerd's clients (ctr too) make lease ids themselves as
     * {@code <nanoseconds>-<base64url of 3 random bytes>}, so an id may hold {@code --} or end in {@code -} or
     * {@code _}, and containerd stores any non-empty id.
     */
    private static void validateId(String id) {
        if (id.isEmpty()) {
            throw BerthException.invalidArgument("lease id must not be empty");
        }
        if (id.length() > Identifiers.MAX_LENGTH || !LEASE_ID.matcher(id).matches()) {
            throw BerthException.invalidArgument("lease id \"" + id + "\" must match " + LEASE_ID.pattern()
                    + " and be at most " + Identifiers.MAX_LENGTH + " characters");
        }
    }

    public List<LeaseRecord> list() throws IOException {
        return db.read("list leases", c -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM leases WHERE namespace = ? ORDER BY id")) {
                ps.setString(1, namespace);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
            }
            List<LeaseRecord> out = new ArrayList<>();
            for (String id : ids) {
                out.add(find(c, namespace, id).orElseThrow());
            }
            return out;
        });
    }

    /**
     * Collects garbage now, in the caller's thread: what the deletes before the call left unreferenced is gone
     * when it returns (the {@code sync} of containerd's lease delete; deletes otherwise collect in the background).
     */
    public void collectGarbage() throws IOException {
        gc.collectNow();
    }

    /** Deletes the lease and its resource list; what only it kept alive is garbage-collected afterwards. */
    public void delete(String id) throws IOException {
        db.write("delete lease " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM leases WHERE namespace = ? AND id = ?")) {
                ps.setString(1, namespace);
                ps.setString(2, id);
                if (ps.executeUpdate() == 0) {
                    throw BerthException.notFound("lease " + id + ": not found");
                }
            }
            return null;
        });
        gc.afterDelete();
    }

    public void addResource(String id, LeaseResource resource) throws IOException {
        resource.validate();
        db.write("add resource " + resource.type() + " " + resource.id() + " to lease " + id, c -> {
            add(c, namespace, id, resource);
            return null;
        });
    }

    /** Removes a resource from the lease (absent resources are ignored, as containerd); a collection follows. */
    public void deleteResource(String id, LeaseResource resource) throws IOException {
        resource.validate();
        db.write("delete resource " + resource.type() + " " + resource.id() + " from lease " + id, c -> {
            requireLease(c, namespace, id);
            remove(c, namespace, Optional.of(id), resource);
            return null;
        });
        gc.afterDelete();
    }

    public List<LeaseResource> listResources(String id) throws IOException {
        return db.read("list resources of lease " + id, c -> {
            requireLease(c, namespace, id);
            List<LeaseResource> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, type FROM lease_resources "
                    + "WHERE namespace = ? AND lease = ? ORDER BY type, id")) {
                ps.setString(1, namespace);
                ps.setString(2, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new LeaseResource(rs.getString(1), rs.getString(2)));
                    }
                }
            }
            return out;
        });
    }

    /** Adds {@code resource} to lease {@code id}, which must exist (NOT_FOUND); adding twice is harmless. */
    static void add(Connection c, String namespace, String id, LeaseResource resource) throws SQLException {
        requireLease(c, namespace, id);
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT OR IGNORE INTO lease_resources (namespace, lease, type, id) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, namespace);
            ps.setString(2, id);
            ps.setString(3, resource.type());
            ps.setString(4, resource.id());
            ps.executeUpdate();
        }
    }

    /** Adds {@code resource} to the request's lease, if it has one: what a write under a lease does. */
    static void addToActive(Connection c, String namespace, Optional<String> lease, LeaseResource resource)
            throws SQLException {
        if (lease.isPresent()) {
            add(c, namespace, lease.get(), resource);
        }
    }

    /** Removes {@code resource} from {@code lease} if given; ignores leases and resources that are gone. */
    static void remove(Connection c, String namespace, Optional<String> lease, LeaseResource resource)
            throws SQLException {
        if (lease.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM lease_resources WHERE namespace = ? AND lease = ? AND type = ? AND id = ?")) {
            ps.setString(1, namespace);
            ps.setString(2, lease.get());
            ps.setString(3, resource.type());
            ps.setString(4, resource.id());
            ps.executeUpdate();
        }
    }

    private static void requireLease(Connection c, String namespace, String id) throws SQLException {
        if (find(c, namespace, id).isEmpty()) {
            throw BerthException.notFound("lease " + id + ": not found");
        }
    }

    private static Optional<LeaseRecord> find(Connection c, String namespace, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT created_at FROM leases WHERE namespace = ? AND id = ?")) {
            ps.setString(1, namespace);
            ps.setString(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new LeaseRecord(id, Times.fromNanos(rs.getLong(1)),
                        LabelTable.LEASE.read(c, namespace, id)));
            }
        }
    }
}
