package dev.berth.manager.content;

import java.time.Instant;
import java.util.Map;

/** What the store knows of one committed blob (containerd {@code content.Info}). */
public record ContentInfo(Digest digest, long size, Instant createdAt, Instant updatedAt, Map<String, String> labels) {
    public ContentInfo {
        labels = Map.copyOf(labels);
    }
}
