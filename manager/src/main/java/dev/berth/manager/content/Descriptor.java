package dev.berth.manager.content;

import java.util.Map;

/** An OCI content descriptor: what a blob is, which blob, how large (OCI image spec, "Descriptor"). */
public record Descriptor(String mediaType, Digest digest, long size, Map<String, String> annotations) {
    public Descriptor {
        annotations = Map.copyOf(annotations);
    }

    public Descriptor(String mediaType, Digest digest, long size) {
        this(mediaType, digest, size, Map.of());
    }
}
