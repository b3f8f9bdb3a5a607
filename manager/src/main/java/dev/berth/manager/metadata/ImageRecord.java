package dev.berth.manager.metadata;

import dev.berth.manager.content.Descriptor;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A named image (containerd {@code images.Image}): a name unique in its namespace pointing at a root descriptor,
 * usually an index or manifest. {@code createdAt}/{@code updatedAt} are set by the store; values passed in are
 * ignored.
 */
public record ImageRecord(String name, Descriptor target, Map<String, String> labels, Instant createdAt,
                          Instant updatedAt) {
    public ImageRecord {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(target, "target");
        labels = Map.copyOf(labels);
    }

    /** A record to pass to create or update; the store fills in the times. */
    public static ImageRecord of(String name, Descriptor target, Map<String, String> labels) {
        return new ImageRecord(name, target, labels, Instant.EPOCH, Instant.EPOCH);
    }
}
