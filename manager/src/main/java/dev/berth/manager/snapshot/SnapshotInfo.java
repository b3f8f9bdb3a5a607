package dev.berth.manager.snapshot;

import java.time.Instant;
import java.util.Map;

/** A snapshot's record; {@code parent} is the empty string for a root snapshot. */
public record SnapshotInfo(String name, String parent, SnapshotKind kind, Map<String, String> labels,
                           Instant created, Instant updated) {
    public SnapshotInfo {
        labels = Map.copyOf(labels);
    }
}
