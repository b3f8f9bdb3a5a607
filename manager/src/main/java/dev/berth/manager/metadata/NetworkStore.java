package dev.berth.manager.metadata;

import dev.berth.api.errdefs.BerthException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * berthd's networks (migration 0003) and their endpoints. Networks are not namespaced (docker's are per daemon,
 * their bridges and subnets per host): a record is the network document as JSON ({@link EngineRecord} with the id
 * as key), names are unique. An endpoint is one container of one namespace on one network; a network with
 * endpoints cannot be deleted. Each write is one transaction.
 */
public final class NetworkStore {

    /** One attachment: the container {@code container} of {@code namespace} on network {@code network}. */
    public record Endpoint(String network, String namespace, String container, String json, Instant createdAt) {
    }

    private final Database db;

    NetworkStore(Database db) {
        this.db = db;
    }

    /** Records a new network; ALREADY_EXISTS, in docker's words, when the name or the id is taken. */
    public EngineRecord create(String id, String name, String json) throws IOException {
        return db.write("create network " + name, c -> {
            if (findByName(c, name).isPresent()) {
                throw BerthException.alreadyExists("network with name " + name + " already exists");
            }
            if (query(c, " WHERE id = ?", id).stream().findFirst().isPresent()) {
                throw BerthException.alreadyExists("network " + id + ": already exists");
            }
            Instant now = db.now();
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO networks (id, name, record, created_at, updated_at) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, id);
                ps.setString(2, name);
                ps.setString(3, json);
                ps.setLong(4, Times.toNanos(now));
                ps.setLong(5, Times.toNanos(now));
                ps.executeUpdate();
            }
            return new EngineRecord(id, name, json, now, now);
        });
    }

    /** Deletes a network; FAILED_PRECONDITION while it has endpoints, false if there was no such network. */
    public boolean delete(String id) throws IOException {
        return db.write("delete network " + id, c -> {
            List<Endpoint> attached = endpoints(c, " WHERE network = ?", id);
            if (!attached.isEmpty()) {
                throw BerthException.failedPrecondition("error while removing network: network " + id
                        + " has active endpoints (" + attached.size() + ")");
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM networks WHERE id = ?")) {
                ps.setString(1, id);
                return ps.executeUpdate() > 0;
            }
        });
    }

    public Optional<EngineRecord> get(String id) throws IOException {
        return db.read("get network " + id, c -> query(c, " WHERE id = ?", id).stream().findFirst());
    }

    public Optional<EngineRecord> getByName(String name) throws IOException {
        return db.read("get network " + name, c -> findByName(c, name));
    }

    /** Every network, oldest first. */
    public List<EngineRecord> list() throws IOException {
        return db.read("list networks", c -> query(c, "", null));
    }

    /** Records an endpoint; ALREADY_EXISTS if the container is already on the network. */
    public Endpoint addEndpoint(String network, String namespace, String container, String json)
            throws IOException {
        return db.write("add endpoint of " + container + " to network " + network, c -> {
            if (!endpoints(c, " WHERE network = ? AND namespace = ? AND container = ?", network, namespace,
                    container).isEmpty()) {
                throw BerthException.alreadyExists("endpoint with name " + container
                        + " already exists in network " + network);
            }
            Instant now = db.now();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO network_endpoints (network, namespace, "
                    + "container, record, created_at) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, network);
                ps.setString(2, namespace);
                ps.setString(3, container);
                ps.setString(4, json);
                ps.setLong(5, Times.toNanos(now));
                ps.executeUpdate();
            }
            return new Endpoint(network, namespace, container, json, now);
        });
    }

    /** Replaces an endpoint's document; NOT_FOUND if there is no such endpoint. */
    public void updateEndpoint(String network, String namespace, String container, String json) throws IOException {
        db.write("update endpoint of " + container + " on network " + network, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE network_endpoints SET record = ? "
                    + "WHERE network = ? AND namespace = ? AND container = ?")) {
                ps.setString(1, json);
                ps.setString(2, network);
                ps.setString(3, namespace);
                ps.setString(4, container);
                if (ps.executeUpdate() == 0) {
                    throw BerthException.notFound("endpoint of " + container + " on network " + network
                            + ": not found");
                }
            }
            return null;
        });
    }

    /** Deletes an endpoint; false if there was none. */
    public boolean removeEndpoint(String network, String namespace, String container) throws IOException {
        return db.write("remove endpoint of " + container + " from network " + network, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM network_endpoints "
                    + "WHERE network = ? AND namespace = ? AND container = ?")) {
                ps.setString(1, network);
                ps.setString(2, namespace);
                ps.setString(3, container);
                return ps.executeUpdate() > 0;
            }
        });
    }

    /** The endpoints on a network, oldest first. */
    public List<Endpoint> endpoints(String network) throws IOException {
        return db.read("list endpoints of network " + network, c -> endpoints(c, " WHERE network = ?", network));
    }

    /** The endpoints of one container, oldest first. */
    public List<Endpoint> endpointsOf(String namespace, String container) throws IOException {
        return db.read("list endpoints of container " + container, c ->
                endpoints(c, " WHERE namespace = ? AND container = ?", namespace, container));
    }

    /** Every endpoint of every network. */
    public List<Endpoint> allEndpoints() throws IOException {
        return db.read("list endpoints", c -> endpoints(c, ""));
    }

    private Optional<EngineRecord> findByName(Connection c, String name) throws SQLException {
        return query(c, " WHERE name = ?", name).stream().findFirst();
    }

    private List<EngineRecord> query(Connection c, String where, String arg) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, name, record, created_at, updated_at FROM "
                + "networks" + where + " ORDER BY created_at, id")) {
            if (arg != null) {
                ps.setString(1, arg);
            }
            List<EngineRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new EngineRecord(rs.getString(1), rs.getString(2), rs.getString(3),
                            Times.fromNanos(rs.getLong(4)), Times.fromNanos(rs.getLong(5))));
                }
            }
            return out;
        }
    }

    private List<Endpoint> endpoints(Connection c, String where, String... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT network, namespace, container, record, created_at "
                + "FROM network_endpoints" + where + " ORDER BY created_at, container")) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            List<Endpoint> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Endpoint(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            Times.fromNanos(rs.getLong(5))));
                }
            }
            return out;
        }
    }
}
