package dev.berth.manager.image.archive;

import dev.berth.api.errdefs.BerthException;
import dev.berth.manager.image.Unpacker;
import dev.berth.manager.image.oci.Platform;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@link ImageImporter} imports an archive.
 *
 * @param snapshotter      the snapshotter to unpack into
 * @param unpack           whether to unpack the images (else content and records only)
 * @param baseName         the repository for images the archive names only by a tag ({@code latest} becomes
 *                         {@code <baseName>:latest}); without it such images are not recorded
 * @param platform         the platform whose manifest is unpacked
 * @param maxUnpackedBytes how many uncompressed bytes each image's unpacked layers may have together;
 *                         {@link Unpacker#UNLIMITED} (the default) for no bound
 */
public record ImportOptions(String snapshotter, boolean unpack, Optional<String> baseName, Platform platform,
                            long maxUnpackedBytes) {

    public static final String DEFAULT_SNAPSHOTTER = "overlayfs";

    public ImportOptions {
        Objects.requireNonNull(snapshotter, "snapshotter");
        Objects.requireNonNull(baseName, "baseName");
        Objects.requireNonNull(platform, "platform");
        if (maxUnpackedBytes < 0) {
            throw BerthException.invalidArgument("import options: max unpacked bytes " + maxUnpackedBytes
                    + " must not be negative (0 for no limit)");
        }
    }

    /** Unpacked into overlayfs for linux/amd64, no base name, no limit on unpacked bytes. */
    public static ImportOptions defaults() {
        return new ImportOptions(DEFAULT_SNAPSHOTTER, true, Optional.empty(), Platform.LINUX_AMD64,
                Unpacker.UNLIMITED);
    }

    public ImportOptions withSnapshotter(String name) {
        return new ImportOptions(name, unpack, baseName, platform, maxUnpackedBytes);
    }

    public ImportOptions withUnpack(boolean doUnpack) {
        return new ImportOptions(snapshotter, doUnpack, baseName, platform, maxUnpackedBytes);
    }

    public ImportOptions withBaseName(String name) {
        return new ImportOptions(snapshotter, unpack, Optional.of(name), platform, maxUnpackedBytes);
    }

    public ImportOptions withMaxUnpackedBytes(long n) {
        return new ImportOptions(snapshotter, unpack, baseName, platform, n);
    }
}
