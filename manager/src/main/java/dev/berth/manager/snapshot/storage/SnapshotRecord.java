package dev.berth.manager.snapshot.storage;

import dev.berth.manager.snapshot.SnapshotInfo;
import dev.berth.manager.snapshot.SnapshotKind;
import java.time.Instant;
import java.util.Map;

/**
 * One snapshot as the index keeps it: the public {@link SnapshotInfo} fields plus the numeric id that names its
 * directory. {@code parent} is the parent's key (a committed name), or the empty string.
 */
public record SnapshotRecord(long id, String key, String parent, SnapshotKind kind, Map<String, String> labels,
                             Instant created, Instant updated) {
    public SnapshotRecord {
        labels = Map.copyOf(labels);
    }

    public SnapshotInfo info() {
        return new SnapshotInfo(key, parent, kind, labels, created, updated);
    }

    public boolean hasParent() {
        return !parent.isEmpty();
    }
}
