package dev.berth.manager.metadata;

import java.time.Instant;
import java.util.Map;

/**
 * A lease (containerd {@code leases.Lease}): while it exists, and until the time in its
 * {@link GcLabels#EXPIRE} label if it has one, the resources added to it are kept.
 */
public record LeaseRecord(String id, Instant createdAt, Map<String, String> labels) {
    public LeaseRecord {
        labels = Map.copyOf(labels);
    }
}
