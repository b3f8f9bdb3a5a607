package dev.berth.manager.image.archive;

import dev.berth.api.errdefs.BerthException;

/** The archive formats images are imported from and exported to. */
public enum ArchiveFormat {
    /** An OCI image layout in a tar ({@code oci-layout}, {@code index.json}, {@code blobs/<alg>/<hex>}). */
    OCI,
    /** A {@code docker save} archive ({@code manifest.json}, {@code <hex>.json}, {@code <hex>/layer.tar}). */
    DOCKER;

    /** {@code oci} (also the empty string) or {@code docker}; INVALID_ARGUMENT otherwise. */
    public static ArchiveFormat parse(String s) {
        return switch (s) {
            case "", "oci" -> OCI;
            case "docker" -> DOCKER;
            default -> throw BerthException.invalidArgument("archive format " + s + ": want oci or docker");
        };
    }
}
