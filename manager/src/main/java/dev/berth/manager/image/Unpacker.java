package dev.berth.manager.image;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.log.Log;
import dev.berth.manager.content.ContentStore;
import dev.berth.manager.content.Descriptor;
import dev.berth.manager.content.Digest;
import dev.berth.manager.diff.AppliedLayer;
import dev.berth.manager.diff.Compression;
import dev.berth.manager.diff.LayerApplier;
import dev.berth.manager.image.oci.OciDescriptor;
import dev.berth.manager.metadata.MetadataSnapshotter;
import dev.berth.manager.snapshot.Mount;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The one unpacker of image layers into snapshots, used by pull, import and commit (containerd's
 * {@code rootfs.ApplyLayers} as its client's unpacker drives it). For each layer, base first, with chain ID
 * {@code c} (see {@link ChainIds}) and parent chain {@code p}:
 * <pre>
 * stat c                 exists: skip (images sharing a base share its snapshots)
 * prepare extract-&lt;random&gt;-&lt;hex of c&gt; on p, label containerd.io/snapshot.ref = c
 * apply the layer        bytes from a {@link LayerSource}, decompressed here, counted against the limit
 * source.verify          a pull's blob is verified and committed before its snapshot may become a chain
 * check the diffID       against the config's rootfs.diff_ids[i]
 * commit c               label containerd.io/snapshot.ref = c; already committed meanwhile is as good
 * label the layer blob   containerd.io/uncompressed = diffID
 * </pre>
 * and finally the config blob is labelled {@code containerd.io/gc.ref.snapshot.<snapshotter> = top chain ID}, which
 * keeps the snapshots from garbage collection and tells clients the snapshot to prepare a container on. The
 * caller's lease holds everything until then. Whatever fails, the extraction snapshot of the failing layer is
 * removed; the chains committed before it stay under the caller's lease.
 *
 * <p>Error kinds, the same for every caller: a layer whose diffID is not the config's is FAILED_PRECONDITION,
 * the kind containerd's content store gives data that does not match its declared digest (its unpacker returns an
 * untyped "wrong diff id calculated on extraction"); more unpacked bytes than the caller's limit is
 * RESOURCE_EXHAUSTED; a config whose diff_ids do not match the layers is INVALID_ARGUMENT. Each names the layer.
 */
public final class Unpacker {

    private static final Log LOG = Log.of(Unpacker.class);
    /** No limit on the unpacked bytes (containerd has none). */
    public static final long UNLIMITED = 0;

    private final LayerApplier applier;
    private final SecureRandom random = new SecureRandom();

    public Unpacker(LayerApplier applier) {
        this.applier = applier;
    }

    /** The index of the first layer whose chain is not yet a snapshot ({@code diffIds.size()} if none). */
    public int firstMissing(MetadataSnapshotter snapshots, List<String> diffIds) throws IOException {
        List<String> chains = ChainIds.of(diffIds);
        for (int i = chains.size() - 1; i >= 0; i--) {
            if (exists(snapshots, chains.get(i))) {
                return i + 1;
            }
        }
        return 0;
    }

    /** Unpacks {@code image} with its layers read from {@code content} (import, commit). */
    public String unpack(ContentStore content, MetadataSnapshotter snapshots, ResolvedImage image,
                         long maxUnpackedBytes) throws IOException {
        return unpack(content, snapshots, image, LayerSource.of(content), maxUnpackedBytes);
    }

    /**
     * Unpacks {@code image} into {@code snapshots}, labelling its blobs in {@code content} (both views of one
     * namespace, with the caller's lease); answers the top chain ID, empty for an image without layers.
     *
     * @param maxUnpackedBytes how many uncompressed bytes the layers applied here may have together;
     *                         {@link #UNLIMITED} for no bound
     */
    public String unpack(ContentStore content, MetadataSnapshotter snapshots, ResolvedImage image,
                         LayerSource source, long maxUnpackedBytes) throws IOException {
        List<OciDescriptor> layers = image.manifest().layers() == null ? List.of() : image.manifest().layers();
        List<String> diffIds = image.config().diffIds();
        if (layers.size() != diffIds.size()) {
            throw BerthException.invalidArgument("unpack " + image.manifestDescriptor().digest() + ": "
                    + layers.size() + " layers but " + diffIds.size() + " diff_ids in config "
                    + image.configDescriptor().digest());
        }
        List<String> chains = ChainIds.of(diffIds);
        Budget budget = new Budget(maxUnpackedBytes);
        String parent = "";
        for (int i = 0; i < layers.size(); i++) {
            Descriptor layer = layers.get(i).toDescriptor();
            String chain = chains.get(i);
            if (!exists(snapshots, chain)) {
                apply(content, snapshots, source, i, layer, diffIds.get(i), parent, chain, budget);
            }
            source.unpacked(i, layer, chain);
            parent = chain;
        }
        if (!parent.isEmpty()) {
            ImageLabels.add(content, image.configDescriptor().digest(), ImageLabels.ofConfig(snapshots.name(), parent));
        }
        return parent;
    }

    private void apply(ContentStore content, MetadataSnapshotter snapshots, LayerSource source, int index,
                       Descriptor layer, String diffId, String parent, String chain, Budget budget)
            throws IOException {
        String key = "extract-" + HexFormat.of().formatHex(nonce()) + "-" + Digest.parse(chain).encoded();
        Map<String, String> labels = Map.of(ImageLabels.SNAPSHOT_REF, chain);
        List<Mount> mounts = snapshots.prepare(key, parent, labels);
        boolean committed = false;
        try {
            AppliedLayer applied;
            try (InputStream in = source.open(index, layer)) {
                applied = applyStream(in, layer, mounts, budget);
            } catch (IOException | RuntimeException e) {
                try {
                    source.verify(index, layer);
                } catch (IOException | RuntimeException verdict) {
                    if (verdict != e) {
                        verdict.addSuppressed(e);
                    }
                    throw verdict;
                }
                throw e;
            }
            source.verify(index, layer);
            if (!applied.diffId().toString().equals(diffId)) {
                throw BerthException.failedPrecondition("unpack layer " + layer.digest() + ": diffID "
                        + applied.diffId() + " does not match the config's " + diffId);
            }
            try {
                snapshots.commit(chain, key, labels);
                committed = true;
            } catch (BerthException e) {
                if (e.kind() != ErrorKind.ALREADY_EXISTS) {
                    throw e;
                }
                LOG.debug("chain committed meanwhile by another unpack", "chain", chain);
            }
            ImageLabels.add(content, layer.digest(), Map.of(ImageLabels.UNCOMPRESSED, diffId));
            LOG.debug("layer unpacked", "layer", layer.digest(), "chain", chain);
        } finally {
            if (!committed) {
                removeQuietly(snapshots, key);
            }
        }
    }

    /** Decompresses here rather than in the applier, so that the limit counts the bytes the tar reader sees. */
    private AppliedLayer applyStream(InputStream in, Descriptor layer, List<Mount> mounts, Budget budget)
            throws IOException {
        Compression compression = Compression.ofMediaType(layer.mediaType());
        try (InputStream tar = budget.counting(compression.decompress(in), layer)) {
            return applier.apply(tar, Compression.NONE.mediaType(), mounts, true);
        }
    }

    private byte[] nonce() {
        byte[] b = new byte[8];
        random.nextBytes(b);
        return b;
    }

    private static boolean exists(MetadataSnapshotter snapshots, String name) throws IOException {
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
    private static void removeQuietly(MetadataSnapshotter snapshots, String key) {
        try {
            snapshots.remove(key);
        } catch (IOException | BerthException e) {
            LOG.warn("remove unfinished extraction snapshot", e, "key", key);
        }
    }

    /** The unpacked bytes one unpack may still apply. */
    private static final class Budget {
        private final long limit;
        private long used;

        Budget(long limit) {
            this.limit = limit;
        }

        InputStream counting(InputStream tar, Descriptor layer) {
            return limit == UNLIMITED ? tar : new FilterInputStream(tar) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0) {
                        take(1, layer);
                    }
                    return b;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    if (n > 0) {
                        take(n, layer);
                    }
                    return n;
                }

                @Override
                public long skip(long n) throws IOException {
                    byte[] buf = new byte[(int) Math.min(Math.max(n, 0), 1 << 16)];
                    int r = read(buf, 0, buf.length);
                    return Math.max(r, 0);
                }
            };
        }

        private void take(long n, Descriptor layer) {
            used += n;
            if (used > limit) {
                throw new BerthException(ErrorKind.RESOURCE_EXHAUSTED, "unpack layer " + layer.digest()
                        + ": more than " + limit + " bytes unpacked (the limit on unpacked bytes)");
            }
        }
    }
}
