package dev.berth.testsupport;

/** An OCI content descriptor (image-spec {@code descriptor.md}): how registries and daemons address a blob. */
public record Descriptor(String mediaType, String digest, long size) {
    public static final String INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
}
