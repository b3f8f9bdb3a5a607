package dev.berth.manager.image;

import dev.berth.manager.image.oci.Platform;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@link ImageImporter} imports an archive.
 *
 * @param snapshotter the snapshotter to unpack into
 * @param unpack      whether to unpack the images (else content and records only)
 * @param baseName    the repository for images the archive names only by a tag ({@code latest} becomes
 *                    {@code <baseName>:latest}); without it such images are not recorded
 * @param platform    the platform whose manifest is unpacked
 */
public record ImportOptions(String snapshotter, boolean unpack, Optional<String> baseName, Platform platform) {

    public static final String DEFAULT_SNAPSHOTTER = "overlayfs";

    public ImportOptions {
        Objects.requireNonNull(snapshotter, "snapshotter");
        Objects.requireNonNull(baseName, "baseName");
        Objects.requireNonNull(platform, "platform");
    }

    /** Unpacked into overlayfs for linux/amd64, no base name. */
    public static ImportOptions defaults() {
        return new ImportOptions(DEFAULT_SNAPSHOTTER, true, Optional.empty(), Platform.LINUX_AMD64);
    }

    public ImportOptions withSnapshotter(String name) {
        return new ImportOptions(name, unpack, baseName, platform);
    }

    public ImportOptions withUnpack(boolean doUnpack) {
        return new ImportOptions(snapshotter, doUnpack, baseName, platform);
    }

    public ImportOptions withBaseName(String name) {
        return new ImportOptions(snapshotter, unpack, Optional.of(name), platform);
    }

    public ImportOptions withPlatform(Platform p) {
        return new ImportOptions(snapshotter, unpack, baseName, p);
    }
}
