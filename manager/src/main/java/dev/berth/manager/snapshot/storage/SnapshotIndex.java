package dev.berth.manager.snapshot.storage;

import dev.berth.api.errdefs.BerthException;
import dev.berth.manager.fs.Permissions;
import dev.berth.manager.snapshot.SnapshotKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * The records of one snapshotter, file-backed (layout in {@code package-info.java}), and the rules that relate
 * them: keys are unique, a parent must exist and be committed, only an active snapshot can be committed, a
 * snapshot with children cannot be removed. Not thread-safe: the snapshotter serialises its operations.
 */
public final class SnapshotIndex {
    private static final String SUFFIX = ".properties";
    private static final String TEMP_SUFFIX = ".properties.tmp";
    private static final String LABEL_PREFIX = "label.";

    private final Path dir;
    private final Map<String, SnapshotRecord> byKey = new HashMap<>();
    private long lastId;

    private SnapshotIndex(Path dir) {
        this.dir = dir;
    }

    /** Opens (creating it if needed) the index in {@code dir} and reads every record. */
    public static SnapshotIndex open(Path dir) throws IOException {
        Permissions.createDirectories(dir, Permissions.PRIVATE_DIRECTORY);
        SnapshotIndex index = new SnapshotIndex(dir);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path file : files) {
                SnapshotRecord r = read(file);
                index.byKey.put(r.key(), r);
                index.lastId = Math.max(index.lastId, r.id());
            }
        }
        return index;
    }

    /** The record of {@code key}; NOT_FOUND naming the operation otherwise. */
    public SnapshotRecord get(String op, String key) {
        SnapshotRecord r = byKey.get(key);
        if (r == null) {
            throw BerthException.notFound(op + " " + key + ": snapshot not found");
        }
        return r;
    }

    /** Every record, ordered by key. */
    public List<SnapshotRecord> list() {
        return byKey.values().stream().sorted(Comparator.comparing(SnapshotRecord::key)).toList();
    }

    /** The ids every record names (directories with other names are leftovers). */
    public Set<Long> ids() {
        Set<Long> ids = new HashSet<>();
        byKey.values().forEach(r -> ids.add(r.id()));
        return ids;
    }

    /** The parents of {@code record}, nearest first. */
    public List<SnapshotRecord> parents(SnapshotRecord record) {
        List<SnapshotRecord> chain = new ArrayList<>();
        for (SnapshotRecord r = record; r.hasParent(); ) {
            r = get("parents of " + record.key(), r.parent());
            chain.add(r);
        }
        return chain;
    }

    /**
     * Checks that {@code key} is new and {@code parent} (if not empty) is committed, and returns the new
     * snapshot's parents, nearest first.
     */
    public List<SnapshotRecord> checkNew(String op, String key, String parent) {
        if (key == null || key.isEmpty()) {
            throw BerthException.invalidArgument(op + ": empty key");
        }
        if (byKey.containsKey(key)) {
            throw BerthException.alreadyExists(op + " " + key + ": snapshot already exists");
        }
        if (parent == null || parent.isEmpty()) {
            return List.of();
        }
        SnapshotRecord p = committedParent(op + " " + key, parent);
        List<SnapshotRecord> chain = new ArrayList<>();
        chain.add(p);
        chain.addAll(parents(p));
        return chain;
    }

    /** The record of {@code parent}: NOT_FOUND if absent, FAILED_PRECONDITION unless committed. */
    public SnapshotRecord committedParent(String op, String parent) {
        SnapshotRecord p = byKey.get(parent);
        if (p == null) {
            throw BerthException.notFound(op + ": parent " + parent + " not found");
        }
        if (p.kind() != SnapshotKind.COMMITTED) {
            throw BerthException.failedPrecondition(op + ": parent " + parent + " is "
                    + p.kind().name().toLowerCase() + ", not committed");
        }
        return p;
    }

    /** Checks that {@code key} is active and {@code name} is free; returns the active record. */
    public SnapshotRecord checkCommit(String name, String key) {
        SnapshotRecord active = get("commit " + name + " from", key);
        if (active.kind() != SnapshotKind.ACTIVE) {
            throw BerthException.failedPrecondition("commit " + name + " from " + key + ": snapshot is "
                    + active.kind().name().toLowerCase() + ", not active");
        }
        if (name == null || name.isEmpty()) {
            throw BerthException.invalidArgument("commit from " + key + ": empty name");
        }
        if (byKey.containsKey(name)) {
            throw BerthException.alreadyExists("commit " + name + ": snapshot already exists");
        }
        return active;
    }

    /** Checks that {@code key} exists and has no children; returns its record. */
    public SnapshotRecord checkRemove(String key) {
        SnapshotRecord r = get("remove", key);
        for (SnapshotRecord other : byKey.values()) {
            if (other.parent().equals(key)) {
                throw BerthException.failedPrecondition("remove " + key + ": snapshot has children (" + other.key()
                        + ")");
            }
        }
        return r;
    }

    /** A new id, never used by a record of this index nor by a directory in {@code taken}. */
    public long allocateId(Set<Long> taken) {
        do {
            lastId++;
        } while (taken.contains(lastId));
        return lastId;
    }

    /**
     * Applies containerd's update rule to {@code key}'s labels: no field paths or {@code labels} replace them
     * all, {@code labels.<name>} sets or (absent from {@code labels}) deletes one; other paths are invalid.
     */
    public SnapshotRecord update(String key, Map<String, String> labels, Set<String> fieldpaths, Instant now)
            throws IOException {
        SnapshotRecord r = get("update", key);
        Map<String, String> updated = new TreeMap<>(r.labels());
        if (fieldpaths.isEmpty()) {
            updated = new TreeMap<>(labels);
        }
        for (String path : fieldpaths) {
            if (path.startsWith("labels.")) {
                String name = path.substring("labels.".length());
                if (labels.containsKey(name)) {
                    updated.put(name, labels.get(name));
                } else {
                    updated.remove(name);
                }
            } else if (path.equals("labels")) {
                updated = new TreeMap<>(labels);
            } else {
                throw BerthException.invalidArgument("update " + key + ": cannot update field " + path);
            }
        }
        SnapshotRecord next = new SnapshotRecord(r.id(), r.key(), r.parent(), r.kind(), updated, r.created(), now);
        put(next);
        return next;
    }

    /**
     * Stores {@code record}, replacing the record with the same id (a commit changes key and kind) or with the
     * same key; durable when this returns.
     */
    public void put(SnapshotRecord record) throws IOException {
        Path temp = dir.resolve(record.id() + TEMP_SUFFIX);
        try (OutputStream out = Files.newOutputStream(temp)) {
            toProperties(record).store(out, null);
        }
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(temp, file(record.id()), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory();
        byKey.values().removeIf(r -> r.id() == record.id());
        byKey.put(record.key(), record);
    }

    /** Deletes {@code record}; durable when this returns. */
    public void delete(SnapshotRecord record) throws IOException {
        Files.deleteIfExists(file(record.id()));
        syncDirectory();
        byKey.remove(record.key());
    }

    /** Deletes half-written record files (a crash during {@link #put}). */
    public void cleanup() throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + TEMP_SUFFIX)) {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
        }
    }

    private Path file(long id) {
        return dir.resolve(id + SUFFIX);
    }

    private void syncDirectory() throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private static Properties toProperties(SnapshotRecord r) {
        Properties p = new Properties();
        p.setProperty("id", Long.toString(r.id()));
        p.setProperty("key", r.key());
        p.setProperty("parent", r.parent());
        p.setProperty("kind", r.kind().name());
        p.setProperty("created", r.created().toString());
        p.setProperty("updated", r.updated().toString());
        r.labels().forEach((k, v) -> p.setProperty(LABEL_PREFIX + k, v));
        return p;
    }

    private static SnapshotRecord read(Path file) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        Map<String, String> labels = new TreeMap<>();
        for (String name : p.stringPropertyNames()) {
            if (name.startsWith(LABEL_PREFIX)) {
                labels.put(name.substring(LABEL_PREFIX.length()), p.getProperty(name));
            }
        }
        try {
            return new SnapshotRecord(Long.parseLong(p.getProperty("id")), require(p, "key", file),
                    p.getProperty("parent", ""), SnapshotKind.valueOf(require(p, "kind", file)), labels,
                    Instant.parse(require(p, "created", file)), Instant.parse(require(p, "updated", file)));
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw new IOException("read snapshot record " + file + ": " + e.getMessage(), e);
        }
    }

    private static String require(Properties p, String name, Path file) throws IOException {
        String v = p.getProperty(name);
        if (v == null) {
            throw new IOException("read snapshot record " + file + ": no " + name);
        }
        return v;
    }
}
