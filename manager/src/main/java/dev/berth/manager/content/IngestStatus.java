package dev.berth.manager.content;

import java.time.Instant;

/**
 * The state of one unfinished write (containerd {@code content.Status}); {@code total} is 0 and {@code expected}
 * null when the writer did not announce them.
 */
public record IngestStatus(String ref, long offset, long total, Digest expected, Instant startedAt, Instant updatedAt) {
}
