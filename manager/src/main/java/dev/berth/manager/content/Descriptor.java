package dev.berth.manager.content;

import java.util.Map;
import java.util.Objects;

/** An OCI content descriptor (image spec, "Descriptors"): what a blob is, where to find it, and how big it is. */
public record Descriptor(String mediaType, Digest digest, long size, Map<String, String> annotations) {
    public Descriptor {
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(digest, "digest");
        annotations = Map.copyOf(annotations);
    }

    public Descriptor(String mediaType, Digest digest, long size) {
        this(mediaType, digest, size, Map.of());
    }
}
