package dev.berth.manager.image;

import dev.berth.api.errdefs.BerthException;
import dev.berth.manager.image.oci.Platform;
import java.util.Objects;

/**
 * How {@link ImagePuller} pulls one image.
 *
 * @param platform               the platform whose manifest is taken from an index (linux/amd64 by default)
 * @param snapshotter            the snapshotter the layers are unpacked into ({@code overlayfs} by default)
 * @param unpack                 whether to unpack the layers into committed snapshots named by their chain IDs
 * @param maxConcurrentDownloads how many blobs of this pull download at once (containerd's default is 3)
 */
public record PullOptions(Platform platform, String snapshotter, boolean unpack, int maxConcurrentDownloads) {

    public static final String DEFAULT_SNAPSHOTTER = "overlayfs";

    public PullOptions {
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(snapshotter, "snapshotter");
        if (maxConcurrentDownloads < 1) {
            throw BerthException.invalidArgument("pull options: max concurrent downloads " + maxConcurrentDownloads
                    + " must be at least 1");
        }
    }

    /** linux/amd64, overlayfs, unpacked, three downloads at once. */
    public static PullOptions defaults() {
        return new PullOptions(Platform.LINUX_AMD64, DEFAULT_SNAPSHOTTER, true, 3);
    }

    public PullOptions withPlatform(Platform p) {
        return new PullOptions(p, snapshotter, unpack, maxConcurrentDownloads);
    }

    public PullOptions withSnapshotter(String name) {
        return new PullOptions(platform, name, unpack, maxConcurrentDownloads);
    }

    public PullOptions withUnpack(boolean u) {
        return new PullOptions(platform, snapshotter, u, maxConcurrentDownloads);
    }

    public PullOptions withMaxConcurrentDownloads(int n) {
        return new PullOptions(platform, snapshotter, unpack, n);
    }
}
