package dev.berth.manager.image;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.log.Log;
import dev.berth.manager.content.ContentStore;
import dev.berth.manager.content.Descriptor;
import dev.berth.manager.diff.AppliedLayer;
import dev.berth.manager.diff.LayerApplier;
import dev.berth.manager.metadata.MetadataSnapshotter;
import dev.berth.manager.snapshot.Mount;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Unpacks an image's layers, base first, into committed snapshots named by chain ID (containerd
 * {@code rootfs.ApplyLayers} as its client's unpacker drives it): for each layer whose chain is not yet a
 * snapshot, prepare {@code extract-<random> <chainID>} on the previous chain ID, apply the layer, check its
 * diffID against the config, and commit it as the chain ID. Runs on the pulling thread while later layers still
 * download; a layer whose download has not started when its turn comes is applied from the stream as it
 * downloads.
 */
final class SnapshotUnpacker {

    private static final Log LOG = Log.of(SnapshotUnpacker.class);
    private static final int READ_BUFFER = 1 << 16;

    private final MetadataSnapshotter snapshots;
    private final LayerApplier applier;
    private final ContentStore content;
    private final PullProgress progress;
    private final SecureRandom random = new SecureRandom();

    SnapshotUnpacker(MetadataSnapshotter snapshots, LayerApplier applier, ContentStore content,
                     PullProgress progress) {
        this.snapshots = snapshots;
        this.applier = applier;
        this.content = content;
        this.progress = progress;
    }

    /** The index of the first layer whose chain is not yet a snapshot ({@code diffIds.size()} if none). */
    int firstMissing(List<String> diffIds) throws IOException {
        List<String> chain = ChainIds.of(diffIds);
        for (int i = chain.size() - 1; i >= 0; i--) {
            if (exists(chain.get(i))) {
                return i + 1;
            }
        }
        return 0;
    }

    /**
     * Unpacks {@code layers} (with their config's {@code diffIds}) from {@code start} on (the chains below exist), as
     * their downloads allow.
     */
    void unpack(List<Descriptor> layers, List<String> diffIds, int start, LayerDownloads downloads)
            throws IOException {
        List<String> chain = ChainIds.of(diffIds);
        for (int i = 0; i < start; i++) {
            progress.unpacked(layers.get(i), chain.get(i));
        }
        for (int i = start; i < layers.size(); i++) {
            apply(layers.get(i), diffIds.get(i), i == 0 ? "" : chain.get(i - 1), chain.get(i),
                    downloads.slot(i));
        }
    }

    private void apply(Descriptor layer, String diffId, String parent, String chainId, LayerDownloads.Slot slot)
            throws IOException {
        String key = "extract-" + HexFormat.of().formatHex(nonce()) + " " + chainId;
        Map<String, String> labels = Map.of(ImageLabels.SNAPSHOT_REF, chainId);
        Optional<LayerPipe> pipe = slot.request();
        if (pipe.isEmpty()) {
            slot.awaitCommitted();
        }
        List<Mount> mounts = snapshots.prepare(key, parent, labels);
        boolean committed = false;
        try {
            progress.extracting(layer);
            AppliedLayer applied;
            try (InputStream in = pipe.isPresent() ? pipe.get()
                    : new BufferedInputStream(Channels.newInputStream(content.read(layer.digest())), READ_BUFFER)) {
                applied = applier.apply(in, layer.mediaType(), mounts, true);
            } catch (IOException | RuntimeException e) {
                // a failed download (broken stream, digest mismatch) explains a failed apply better than the tar
                // reader's complaint: once the applier stops reading, the download still runs to its verdict
                if (pipe.isPresent()) {
                    LayerPipe.rethrowDownloadFailure(e);
                    slot.awaitCommitted();
                }
                throw e;
            }
            // the snapshot only becomes a chain once the blob it came from is verified and committed
            slot.awaitCommitted();
            if (!applied.diffId().toString().equals(diffId)) {
                throw BerthException.failedPrecondition("unpack layer " + layer.digest() + ": diffID "
                        + applied.diffId() + " does not match the config's " + diffId);
            }
            try {
                snapshots.commit(chainId, key, labels);
                committed = true;
            } catch (BerthException e) {
                if (e.kind() != ErrorKind.ALREADY_EXISTS) {
                    throw e;
                }
                LOG.debug("chain committed meanwhile by another unpack", "chain", chainId);
            }
            ImageLabels.add(content, layer.digest(), Map.of(ImageLabels.UNCOMPRESSED, applied.diffId().toString()));
            progress.unpacked(layer, chainId);
        } finally {
            if (!committed) {
                removeQuietly(key);
            }
        }
    }

    private byte[] nonce() {
        byte[] b = new byte[8];
        random.nextBytes(b);
        return b;
    }

    private boolean exists(String name) throws IOException {
        try {
            snapshots.stat(name);
            return true;
        } catch (BerthException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    /** Removes an unfinished extraction; a failure here must not hide the one that got us here. */
    private void removeQuietly(String key) {
        try {
            snapshots.remove(key);
        } catch (IOException | BerthException e) {
            LOG.warn("remove unfinished extraction snapshot", e, "key", key);
        }
    }
}
