package dev.berth.manager.diff;

import dev.berth.manager.content.Digest;

/**
 * A layer {@link LayerComputer} wrote: its descriptor's fields and its diffID.
 *
 * @param digest    sha256 of the bytes written (compressed as {@code mediaType} says)
 * @param size      the number of bytes written
 * @param diffId    sha256 of the uncompressed tar
 * @param mediaType the OCI layer media type of what was written
 */
public record ComputedLayer(Digest digest, long size, Digest diffId, String mediaType) {
}
