package dev.berth.manager.snapshot.storage;

import dev.berth.api.errdefs.BerthException;
import dev.berth.manager.snapshot.Mount;
import dev.berth.manager.snapshot.SnapshotInfo;
import dev.berth.manager.snapshot.SnapshotKind;
import dev.berth.manager.snapshot.Snapshotter;
import dev.berth.manager.snapshot.Usage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link Snapshotter} that keeps each snapshot in {@code <root>/snapshots/<id>} and its record in a
 * {@link SnapshotIndex} under {@code <root>/metadata}; subclasses decide how a layer is created from its parents
 * and how it is mounted. Operations are serialised by this object's monitor.
 *
 * <p>Crash safety: directories are created before their record and deleted after it, so a crash leaves at most
 * directories without a record, which {@link #cleanup()} removes.
 */
public abstract class DirectorySnapshotter implements Snapshotter {
    private final SnapshotIndex index;
    private final SnapshotDirectories dirs;
    private final Clock clock;
    private boolean closed;

    protected DirectorySnapshotter(Path root, Clock clock) throws IOException {
        this.index = SnapshotIndex.open(root.resolve("metadata"));
        this.dirs = new SnapshotDirectories(root);
        this.clock = clock;
    }

    /**
     * Creates {@code dirs.dir(id)} and what a new snapshot of {@code kind} needs in it.
     *
     * @param parents the new snapshot's parents, nearest first
     */
    protected abstract void createLayer(SnapshotDirectories dirs, long id, SnapshotKind kind,
                                        List<SnapshotRecord> parents) throws IOException;

    /** The mounts of an active or view snapshot, given its parents, nearest first. */
    protected abstract List<Mount> mounts(SnapshotDirectories dirs, SnapshotRecord snapshot,
                                          List<SnapshotRecord> parents);

    @Override
    public final synchronized SnapshotInfo stat(String key) {
        checkOpen();
        return index.get("stat", key).info();
    }

    @Override
    public final synchronized SnapshotInfo update(String key, Map<String, String> labels, Set<String> fieldpaths)
            throws IOException {
        checkOpen();
        return index.update(key, labels, fieldpaths, clock.instant()).info();
    }

    @Override
    public final synchronized Usage usage(String key) throws IOException {
        checkOpen();
        return dirs.usage(index.get("usage", key).id());
    }

    @Override
    public final synchronized List<Mount> mounts(String key) {
        checkOpen();
        SnapshotRecord r = index.get("mounts", key);
        if (r.kind() == SnapshotKind.COMMITTED) {
            throw BerthException.failedPrecondition("mounts " + key
                    + ": snapshot is committed, only active and view snapshots can be mounted");
        }
        return mounts(dirs, r, index.parents(r));
    }

    @Override
    public final List<Mount> prepare(String key, String parent, Map<String, String> labels) throws IOException {
        return create("prepare", SnapshotKind.ACTIVE, key, parent, labels);
    }

    @Override
    public final List<Mount> view(String key, String parent, Map<String, String> labels) throws IOException {
        return create("view", SnapshotKind.VIEW, key, parent, labels);
    }

    private synchronized List<Mount> create(String op, SnapshotKind kind, String key, String parent,
                                            Map<String, String> labels) throws IOException {
        checkOpen();
        List<SnapshotRecord> parents = index.checkNew(op, key, parent);
        long id = index.allocateId(dirs.existing());
        try {
            createLayer(dirs, id, kind, parents);
        } catch (IOException | RuntimeException e) {
            dirs.delete(id);
            throw e;
        }
        var now = clock.instant();
        SnapshotRecord r = new SnapshotRecord(id, key, parent == null ? "" : parent, kind, labels, now, now);
        index.put(r);
        return mounts(dirs, r, parents);
    }

    @Override
    public final synchronized void commit(String name, String key, String parent, Map<String, String> labels)
            throws IOException {
        checkOpen();
        SnapshotRecord active = index.checkCommit(name, key);
        String committedOn = active.parent();
        if (parent != null && !parent.isEmpty() && !parent.equals(committedOn)) {
            String op = "commit " + name + " from " + key + " onto " + parent;
            if (!canRebase()) {
                throw BerthException.failedPrecondition(op + ": the snapshotter cannot rebase a snapshot");
            }
            if (active.hasParent()) {
                throw BerthException.failedPrecondition(op + ": the snapshot was prepared on " + committedOn);
            }
            committedOn = index.committedParent(op, parent).key();
        }
        var now = clock.instant();
        // same id, so the layer's directory stays where it is: one atomic rename of the record commits it
        index.put(new SnapshotRecord(active.id(), name, committedOn, SnapshotKind.COMMITTED, labels, now, now));
    }

    @Override
    public final synchronized void remove(String key) throws IOException {
        checkOpen();
        SnapshotRecord r = index.checkRemove(key);
        index.delete(r);
        dirs.delete(r.id());
    }

    @Override
    public final synchronized List<SnapshotInfo> list() {
        checkOpen();
        return index.list().stream().map(SnapshotRecord::info).toList();
    }

    @Override
    public final synchronized void cleanup() throws IOException {
        checkOpen();
        index.cleanup();
        Set<Long> ids = new HashSet<>(index.ids());
        dirs.removeUnreferenced(ids);
    }

    @Override
    public final synchronized void close() {
        closed = true;
    }

    private void checkOpen() {
        if (closed) {
            throw BerthException.unavailable("snapshotter: closed");
        }
    }
}
