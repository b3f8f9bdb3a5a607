package dev.berth.manager.snapshot;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stores filesystem snapshots as chains of layers (containerd {@code snapshots.Snapshotter}).
 *
 * <p>Vocabulary: a <em>key</em> names an active or view snapshot, which can be mounted and (if active) written;
 * {@link #commit} turns an active snapshot into a committed one under a <em>name</em>, which can be the
 * <em>parent</em> of new snapshots. A committed snapshot with children cannot be removed. Lifecycle:
 * {@code prepare(key, parent) → mounts(key) → [write] → commit(name, key)}; {@code view(key, parent)} gives a
 * read-only snapshot that cannot be committed. A snapshotter that {@link #canRebase()} also takes
 * {@code prepare(key, "") → [write the layer] → commit(name, key, parent)}: a layer written before its parent
 * exists, put on top of it when committed (containerd's "rebase" capability, which its parallel unpack uses).
 *
 * <p>The snapshotter returns mounts; it never mounts anything itself. Errors are
 * {@link dev.berth.api.errdefs.BerthException}s: NOT_FOUND (key or parent), ALREADY_EXISTS (key or name),
 * FAILED_PRECONDITION (commit of a view, remove of a parent, parent not committed), each naming the operation
 * and the key. Not namespaced: the metadata layer maps namespaced keys onto this store.
 */
public interface Snapshotter extends AutoCloseable {

    SnapshotInfo stat(String key) throws IOException;

    /** Replaces the labels named in {@code fieldpaths} ({@code labels.<key>}, or {@code labels} for all). */
    SnapshotInfo update(String key, Map<String, String> labels, Set<String> fieldpaths) throws IOException;

    Usage usage(String key) throws IOException;

    List<Mount> mounts(String key) throws IOException;

    List<Mount> prepare(String key, String parent, Map<String, String> labels) throws IOException;

    List<Mount> view(String key, String parent, Map<String, String> labels) throws IOException;

    /** Commits active snapshot {@code key} as {@code name}, keeping the parent it was prepared on. */
    default void commit(String name, String key, Map<String, String> labels) throws IOException {
        commit(name, key, "", labels);
    }

    /**
     * Commits active snapshot {@code key} as {@code name}; a non-empty {@code parent} other than the one it was
     * prepared on puts a snapshot prepared without a parent on top of committed {@code parent} (containerd's
     * {@code Commit} with {@code WithParent}). FAILED_PRECONDITION if the snapshotter cannot rebase
     * ({@link #canRebase()}), the snapshot has a parent already, or {@code parent} is not committed.
     */
    void commit(String name, String key, String parent, Map<String, String> labels) throws IOException;

    /**
     * Whether a snapshot prepared without a parent may be committed on top of one: true where each snapshot's
     * directory holds only its own layer's changes (overlay), false where a snapshot is a copy of its parent.
     */
    boolean canRebase();

    void remove(String key) throws IOException;

    List<SnapshotInfo> list() throws IOException;

    /** Removes directories no record refers to (left by a crash between steps). */
    void cleanup() throws IOException;

    @Override
    void close() throws IOException;
}
