package dev.berth.manager.metadata;

import dev.berth.api.errdefs.BerthException;
import dev.berth.manager.snapshot.Mount;
import dev.berth.manager.snapshot.SnapshotInfo;
import dev.berth.manager.snapshot.SnapshotKind;
import dev.berth.manager.snapshot.Snapshotter;
import dev.berth.manager.snapshot.Usage;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** An in-memory snapshot backend with the contract of {@link Snapshotter}, and a switch to fail the next call. */
final class FakeSnapshotter implements Snapshotter {

    private final Map<String, SnapshotInfo> snapshots = new LinkedHashMap<>();
    private final List<String> removed = new ArrayList<>();
    private String failNext = "";
    private int cleanups;
    private Runnable beforeRemove = () -> { };

    synchronized Set<String> keys() {
        return Set.copyOf(snapshots.keySet());
    }

    /** Backend keys in the order remove() was called. */
    synchronized List<String> removed() {
        return List.copyOf(removed);
    }

    synchronized int cleanups() {
        return cleanups;
    }

    /** The next call of {@code operation} (prepare, view, commit, remove) throws an IOException. */
    synchronized void failNext(String operation) {
        failNext = operation;
    }

    /** Runs {@code hook} at the start of every remove (a test holds a collection inside the backend with it). */
    synchronized void beforeRemove(Runnable hook) {
        beforeRemove = hook;
    }

    private void maybeFail(String operation, String key) throws IOException {
        if (failNext.equals(operation)) {
            failNext = "";
            throw new IOException(operation + " " + key + ": injected failure");
        }
    }

    @Override
    public synchronized SnapshotInfo stat(String key) {
        SnapshotInfo info = snapshots.get(key);
        if (info == null) {
            throw BerthException.notFound("stat " + key + ": not found");
        }
        return info;
    }

    @Override
    public synchronized SnapshotInfo update(String key, Map<String, String> labels, Set<String> fieldpaths) {
        SnapshotInfo i = stat(key);
        SnapshotInfo updated = new SnapshotInfo(key, i.parent(), i.kind(), labels, i.created(), Instant.now());
        snapshots.put(key, updated);
        return updated;
    }

    @Override
    public synchronized Usage usage(String key) {
        stat(key);
        return new Usage(42, 3);
    }

    @Override
    public synchronized List<Mount> mounts(String key) {
        SnapshotInfo i = stat(key);
        return mountsOf(i.name(), i.kind());
    }

    private static List<Mount> mountsOf(String key, SnapshotKind kind) {
        return List.of(new Mount("bind", "/fake/" + key, List.of(kind == SnapshotKind.VIEW ? "ro" : "rw")));
    }

    @Override
    public synchronized List<Mount> prepare(String key, String parent, Map<String, String> labels) throws IOException {
        maybeFail("prepare", key);
        return create(key, parent, SnapshotKind.ACTIVE, labels);
    }

    @Override
    public synchronized List<Mount> view(String key, String parent, Map<String, String> labels) throws IOException {
        maybeFail("view", key);
        return create(key, parent, SnapshotKind.VIEW, labels);
    }

    private List<Mount> create(String key, String parent, SnapshotKind kind, Map<String, String> labels) {
        if (snapshots.containsKey(key)) {
            throw BerthException.alreadyExists("prepare " + key + ": already exists");
        }
        if (!parent.isEmpty()) {
            SnapshotInfo p = snapshots.get(parent);
            if (p == null) {
                throw BerthException.notFound("prepare " + key + ": parent " + parent + " not found");
            }
            if (p.kind() != SnapshotKind.COMMITTED) {
                throw BerthException.failedPrecondition("prepare " + key + ": parent not committed");
            }
        }
        snapshots.put(key, new SnapshotInfo(key, parent, kind, labels, Instant.now(), Instant.now()));
        return mountsOf(key, kind);
    }

    @Override
    public synchronized void commit(String name, String key, String parent, Map<String, String> labels)
            throws IOException {
        maybeFail("commit", key);
        SnapshotInfo active = stat(key);
        if (active.kind() != SnapshotKind.ACTIVE) {
            throw BerthException.failedPrecondition("commit " + key + ": not active");
        }
        if (snapshots.containsKey(name)) {
            throw BerthException.alreadyExists("commit " + name + ": already exists");
        }
        snapshots.remove(key);
        String committedOn = parent.isEmpty() ? active.parent() : parent;
        snapshots.put(name, new SnapshotInfo(name, committedOn, SnapshotKind.COMMITTED, labels, Instant.now(),
                Instant.now()));
    }

    @Override
    public boolean canRebase() {
        return true;
    }

    @Override
    public synchronized void remove(String key) throws IOException {
        beforeRemove.run();
        maybeFail("remove", key);
        stat(key);
        for (SnapshotInfo i : snapshots.values()) {
            if (i.parent().equals(key)) {
                throw BerthException.failedPrecondition("remove " + key + ": has children");
            }
        }
        snapshots.remove(key);
        removed.add(key);
    }

    @Override
    public synchronized List<SnapshotInfo> list() {
        return new ArrayList<>(snapshots.values());
    }

    @Override
    public synchronized void cleanup() {
        cleanups++;
    }

    @Override
    public void close() {
    }
}
