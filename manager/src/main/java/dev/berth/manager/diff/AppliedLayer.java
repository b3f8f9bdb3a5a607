package dev.berth.manager.diff;

import dev.berth.manager.content.Digest;

/**
 * What applying a layer stream found, computed while streaming.
 *
 * @param diffId            sha256 of the uncompressed tar (the image config's {@code rootfs.diff_ids} entry)
 * @param digest            sha256 of the bytes as given (compressed), to compare with the layer's descriptor
 * @param size              the number of bytes as given
 * @param uncompressedSize  the length of the tar
 */
public record AppliedLayer(Digest diffId, Digest digest, long size, long uncompressedSize) {
}
