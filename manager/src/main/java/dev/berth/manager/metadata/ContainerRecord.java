package dev.berth.manager.metadata;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A container's metadata (containerd {@code containers.Container}): no process, only what a task is created from.
 * Empty strings and {@link AnyValue#EMPTY} mean "not set"; {@code createdAt}/{@code updatedAt} are set by the
 * store.
 */
public record ContainerRecord(String id, Map<String, String> labels, String image, Runtime runtime, AnyValue spec,
                              String snapshotter, String snapshotKey, Instant createdAt, Instant updatedAt,
                              Map<String, AnyValue> extensions, String sandbox) {

    /** The runtime a task of this container uses, e.g. {@code io.containerd.runc.v2}, and its options. */
    public record Runtime(String name, AnyValue options) {
        public Runtime {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(options, "options");
        }
    }

    public ContainerRecord {
        Objects.requireNonNull(id, "id");
        labels = Map.copyOf(labels);
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(snapshotter, "snapshotter");
        Objects.requireNonNull(snapshotKey, "snapshotKey");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        extensions = Map.copyOf(extensions);
        Objects.requireNonNull(sandbox, "sandbox");
    }

    /** A builder for a record to create or update; the store sets the times. */
    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** A builder starting from this record's fields. */
    public Builder toBuilder() {
        return new Builder(id).labels(labels).image(image).runtime(runtime).spec(spec).snapshotter(snapshotter)
                .snapshotKey(snapshotKey).extensions(extensions).sandbox(sandbox);
    }

    /** Builds {@link ContainerRecord}s field by field; unset fields are empty. */
    public static final class Builder {
        private final String id;
        private Map<String, String> labels = Map.of();
        private String image = "";
        private Runtime runtime = new Runtime("", AnyValue.EMPTY);
        private AnyValue spec = AnyValue.EMPTY;
        private String snapshotter = "";
        private String snapshotKey = "";
        private Map<String, AnyValue> extensions = Map.of();
        private String sandbox = "";

        private Builder(String id) {
            this.id = id;
        }

        public Builder labels(Map<String, String> labels) {
            this.labels = labels;
            return this;
        }

        public Builder image(String image) {
            this.image = image;
            return this;
        }

        public Builder runtime(Runtime runtime) {
            this.runtime = runtime;
            return this;
        }

        public Builder spec(AnyValue spec) {
            this.spec = spec;
            return this;
        }

        public Builder snapshotter(String snapshotter) {
            this.snapshotter = snapshotter;
            return this;
        }

        public Builder snapshotKey(String snapshotKey) {
            this.snapshotKey = snapshotKey;
            return this;
        }

        public Builder extensions(Map<String, AnyValue> extensions) {
            this.extensions = extensions;
            return this;
        }

        public Builder sandbox(String sandbox) {
            this.sandbox = sandbox;
            return this;
        }

        public ContainerRecord build() {
            return new ContainerRecord(id, labels, image, runtime, spec, snapshotter, snapshotKey, Instant.EPOCH,
                    Instant.EPOCH, extensions, sandbox);
        }
    }
}
