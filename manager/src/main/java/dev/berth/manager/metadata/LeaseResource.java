package dev.berth.manager.metadata;

import dev.berth.api.errdefs.BerthException;
import dev.berth.manager.content.Digest;
import java.util.Objects;

/**
 * A resource a lease holds, as containerd names them: type {@code content} with a digest, type
 * {@code snapshots/<snapshotter>} with a snapshot key, or type {@code ingests} with an ingest ref.
 */
public record LeaseResource(String id, String type) {

    public static final String CONTENT = "content";
    public static final String SNAPSHOTS_PREFIX = "snapshots/";
    public static final String INGESTS = "ingests";

    public LeaseResource {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
    }

    public static LeaseResource content(Digest digest) {
        return new LeaseResource(digest.toString(), CONTENT);
    }

    public static LeaseResource snapshot(String snapshotter, String key) {
        return new LeaseResource(key, SNAPSHOTS_PREFIX + snapshotter);
    }

    public static LeaseResource ingest(String ref) {
        return new LeaseResource(ref, INGESTS);
    }

    /** The snapshotter of a {@code snapshots/<snapshotter>} resource. */
    String snapshotter() {
        return type.substring(SNAPSHOTS_PREFIX.length());
    }

    boolean isSnapshot() {
        return type.startsWith(SNAPSHOTS_PREFIX);
    }

    /** INVALID_ARGUMENT unless this is a resource type containerd knows with a well-formed id. */
    void validate() {
        if (id.isEmpty()) {
            throw BerthException.invalidArgument("lease resource " + type + ": id must not be empty");
        }
        if (type.equals(CONTENT)) {
            try {
                Digest.parse(id);
            } catch (IllegalArgumentException e) {
                throw BerthException.invalidArgument("lease resource content " + id + ": " + e.getMessage());
            }
        } else if (isSnapshot()) {
            String snapshotter = snapshotter();
            if (snapshotter.isEmpty() || snapshotter.contains("/")) {
                throw BerthException.invalidArgument("lease resource " + type + ": invalid snapshotter");
            }
        } else if (!type.equals(INGESTS)) {
            throw BerthException.invalidArgument("lease resource " + id + ": unsupported resource type " + type);
        }
    }
}
