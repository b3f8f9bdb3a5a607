package dev.berth.manager.metadata;

import dev.berth.api.errdefs.BerthException;
import dev.berth.manager.content.Digest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One namespace's rows of {@code ingests}: which backend ingest each of its refs writes to. */
final class IngestTable {

    /** An ingest record: the backend ref, and the blob it expects if one was announced. */
    record Ingest(String ref, String backendRef, Optional<Digest> expected, long total, Instant startedAt) {
    }

    private final String namespace;

    IngestTable(String namespace) {
        this.namespace = namespace;
    }

    /**
     * The record of {@code ref}, created with a fresh backend ref {@code <namespace>/<seq>/<ref>} if new; it keeps
     * the blob it expects, announced now or when the ingest was opened before.
     */
    Ingest open(Connection c, String ref, long total, Optional<Digest> announced, Instant now) throws SQLException {
        String expected = announced.map(Digest::toString).orElse(null);
        if (find(c, ref).isPresent()) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE ingests SET expected = COALESCE(?, expected), "
                    + "total = ? WHERE namespace = ? AND ref = ?")) {
                ps.setString(1, expected);
                ps.setLong(2, total);
                ps.setString(3, namespace);
                ps.setString(4, ref);
                ps.executeUpdate();
            }
            return find(c, ref).orElseThrow();
        }
        String backendRef = namespace + "/" + Database.nextSequence(c) + "/" + ref;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ingests (namespace, ref, backend_ref, expected, "
                + "total, started_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, namespace);
            ps.setString(2, ref);
            ps.setString(3, backendRef);
            ps.setString(4, expected);
            ps.setLong(5, total);
            ps.setLong(6, Times.toNanos(now));
            ps.executeUpdate();
        }
        return find(c, ref).orElseThrow();
    }

    List<Ingest> list(Connection c) throws SQLException {
        List<String> refs = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT ref FROM ingests WHERE namespace = ? ORDER BY ref")) {
            ps.setString(1, namespace);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    refs.add(rs.getString(1));
                }
            }
        }
        List<Ingest> out = new ArrayList<>();
        for (String ref : refs) {
            out.add(find(c, ref).orElseThrow());
        }
        return out;
    }

    /** The record of {@code ref}; NOT_FOUND naming operation {@code op} if there is none. */
    Ingest require(Connection c, String op, String ref) throws SQLException {
        return find(c, ref).orElseThrow(() -> BerthException.notFound(op + " " + ref + ": not found"));
    }

    Optional<Ingest> find(Connection c, String ref) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT backend_ref, expected, total, started_at FROM ingests "
                + "WHERE namespace = ? AND ref = ?")) {
            ps.setString(1, namespace);
            ps.setString(2, ref);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Optional<Digest> expected = Optional.ofNullable(rs.getString(2)).map(Digest::parse);
                return Optional.of(new Ingest(ref, rs.getString(1), expected, rs.getLong(3),
                        Times.fromNanos(rs.getLong(4))));
            }
        }
    }

    void delete(Connection c, String ref) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM ingests WHERE namespace = ? AND ref = ?")) {
            ps.setString(1, namespace);
            ps.setString(2, ref);
            ps.executeUpdate();
        }
    }
}
