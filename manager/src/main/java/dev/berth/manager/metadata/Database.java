package dev.berth.manager.metadata;

import dev.berth.log.Log;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;

/**
 * The one SQLite connection of berthd and the lock that serialises its use. SQLite allows one writer at a time;
 * berthd's metadata work is short, so reads share the connection and the lock too. Every change runs in a
 * transaction ({@link #write}); nested writes join the outer one, so a store method that calls another stays atomic.
 */
final class Database implements AutoCloseable {

    private static final Log LOG = Log.of(Database.class);

    /** A unit of work on the connection. */
    interface Work<T> {
        T run(Connection c) throws SQLException, IOException;
    }

    private final Connection connection;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    /** Transaction nesting depth, guarded by {@link #lock}. */
    private int depth;

    private Database(Connection connection, Clock clock) {
        this.connection = connection;
        this.clock = clock;
    }

    static Database open(Path file, Clock clock) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout(5_000);
        // FULL: every commit is fsynced, as bolt does for containerd; a returned create survives a power cut
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        // IMMEDIATE takes the write lock at BEGIN, so another process holding it fails early (busy timeout)
        // instead of in the middle of the work.
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        try {
            Connection c = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
            return new Database(c, clock);
        } catch (SQLException e) {
            throw new IOException("open metadata database " + file + ": " + e.getMessage(), e);
        }
    }

    Instant now() {
        return clock.instant();
    }

    /** Runs {@code work} under the lock, outside any transaction unless called from inside one. */
    <T> T read(String operation, Work<T> work) throws IOException {
        lock.lock();
        try {
            return work.run(connection);
        } catch (SQLException e) {
            throw new IOException(operation + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code work} in a transaction: committed if it returns, rolled back if it throws anything. Called from
     * inside another write it joins that transaction.
     */
    <T> T write(String operation, Work<T> work) throws IOException {
        lock.lock();
        try {
            if (depth > 0) {
                depth++;
                try {
                    return work.run(connection);
                } finally {
                    depth--;
                }
            }
            return inTransaction(operation, work);
        } catch (SQLException e) {
            throw new IOException(operation + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    private <T> T inTransaction(String operation, Work<T> work) throws SQLException, IOException {
        connection.setAutoCommit(false);
        depth = 1;
        boolean committed = false;
        try {
            T result = work.run(connection);
            connection.commit();
            committed = true;
            return result;
        } finally {
            depth = 0;
            if (!committed) {
                rollback(operation);
            }
            connection.setAutoCommit(true);
        }
    }

    /** Rolls back after a failure; the failure is what the caller must see, so a failed rollback is only logged. */
    private void rollback(String operation) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.warn("rollback failed", e, "operation", operation);
        }
    }

    /** Holds the lock for {@code work}, which may open transactions of its own (garbage collection). */
    <T> T exclusive(String operation, Work<T> work) throws IOException {
        return read(operation, work);
    }

    /** The next value of the database-wide sequence that makes backend keys unique over time. */
    static long nextSequence(Connection c) throws SQLException {
        try (PreparedStatement up = c.prepareStatement("UPDATE sequence SET value = value + 1 WHERE id = 1")) {
            up.executeUpdate();
        }
        try (PreparedStatement q = c.prepareStatement("SELECT value FROM sequence WHERE id = 1");
             ResultSet rs = q.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Creates {@code namespace} if it does not exist: most writes create their namespace, as in containerd. */
    static void ensureNamespace(Connection c, String namespace, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT OR IGNORE INTO namespaces (name, created_at, updated_at) VALUES (?, ?, ?)")) {
            ps.setString(1, namespace);
            ps.setLong(2, Times.toNanos(now));
            ps.setLong(3, Times.toNanos(now));
            ps.executeUpdate();
        }
    }

    /** The raw connection, for migrations before any store exists. */
    Connection connection() {
        return connection;
    }

    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            connection.close();
        } catch (SQLException e) {
            throw new IOException("close metadata database: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }
}
