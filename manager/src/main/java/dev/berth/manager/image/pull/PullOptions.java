package dev.berth.manager.image.pull;

import dev.berth.api.errdefs.BerthException;
import dev.berth.manager.image.Unpacker;
import dev.berth.manager.image.oci.Platform;
import dev.berth.manager.image.registry.Credentials;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@link ImagePuller} pulls one image.
 *
 * @param platform               the platform whose manifest is taken from an index (linux/amd64 by default)
 * @param snapshotter            the snapshotter the layers are unpacked into ({@code overlayfs} by default)
 * @param unpack                 whether to unpack the layers into committed snapshots named by their chain IDs
 * @param maxConcurrentDownloads how many blobs of this pull download at once (containerd's default is 3)
 * @param maxUnpackedBytes       how many uncompressed bytes the layers this pull unpacks may have together, so
 *                               that a small layer inflating without bound fails the pull;
 *                               {@link Unpacker#UNLIMITED} (the default, as containerd) for no bound
 * @param credentials            the registry's credentials for this pull only (a Docker API client's), in place
 *                               of berthd's own; empty for berthd's own
 */
public record PullOptions(Platform platform, String snapshotter, boolean unpack, int maxConcurrentDownloads,
                          long maxUnpackedBytes, Optional<Credentials> credentials) {

    public static final String DEFAULT_SNAPSHOTTER = "overlayfs";

    public PullOptions {
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(snapshotter, "snapshotter");
        Objects.requireNonNull(credentials, "credentials");
        if (maxConcurrentDownloads < 1) {
            throw BerthException.invalidArgument("pull options: max concurrent downloads " + maxConcurrentDownloads
                    + " must be at least 1");
        }
        if (maxUnpackedBytes < 0) {
            throw BerthException.invalidArgument("pull options: max unpacked bytes " + maxUnpackedBytes
                    + " must not be negative (0 for no limit)");
        }
    }

    /** linux/amd64, overlayfs, unpacked, three downloads at once, no limit on unpacked bytes. */
    public static PullOptions defaults() {
        return new PullOptions(Platform.LINUX_AMD64, DEFAULT_SNAPSHOTTER, true, 3, Unpacker.UNLIMITED,
                Optional.empty());
    }

    public PullOptions withPlatform(Platform p) {
        return new PullOptions(p, snapshotter, unpack, maxConcurrentDownloads, maxUnpackedBytes, credentials);
    }

    public PullOptions withSnapshotter(String name) {
        return new PullOptions(platform, name, unpack, maxConcurrentDownloads, maxUnpackedBytes, credentials);
    }

    public PullOptions withUnpack(boolean u) {
        return new PullOptions(platform, snapshotter, u, maxConcurrentDownloads, maxUnpackedBytes, credentials);
    }

    public PullOptions withCredentials(Optional<Credentials> c) {
        return new PullOptions(platform, snapshotter, unpack, maxConcurrentDownloads, maxUnpackedBytes, c);
    }

    public PullOptions withMaxUnpackedBytes(long n) {
        return new PullOptions(platform, snapshotter, unpack, maxConcurrentDownloads, n, credentials);
    }
}
