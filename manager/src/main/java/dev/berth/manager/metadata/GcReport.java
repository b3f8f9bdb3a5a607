package dev.berth.manager.metadata;

import dev.berth.manager.content.Digest;
import java.time.Duration;
import java.util.List;

/**
 * What one garbage collection removed: namespace records of blobs and snapshots, expired leases, then the blobs
 * and snapshots ({@code <snapshotter>/<backend key>}) deleted from the backends.
 */
public record GcReport(int contentRecords, int snapshotRecords, int expiredLeases, List<Digest> blobs,
                       List<String> snapshots, Duration elapsed) {
    public GcReport {
        blobs = List.copyOf(blobs);
        snapshots = List.copyOf(snapshots);
    }
}
