package dev.berth.manager.image;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.log.Log;
import dev.berth.manager.content.ContentInfo;
import dev.berth.manager.content.ContentStore;
import dev.berth.manager.content.Descriptor;
import dev.berth.manager.content.Digest;
import dev.berth.manager.diff.Compression;
import dev.berth.manager.diff.ContentDiffer;
import dev.berth.manager.image.oci.OciDescriptor;
import dev.berth.manager.metadata.MetadataSnapshotter;
import dev.berth.manager.snapshot.Mount;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Unpacks an image's layers onto snapshots named by their chain IDs, as containerd's {@code rootfs.ApplyLayers}:
 * layer {@code i} is applied onto a snapshot prepared from the chain of layers {@code 0..i-1} and committed as
 * {@code chainID(0..i)}; chains already committed are skipped. Each applied layer's diffID must be the config's.
 * The config is then labelled so that it keeps the top snapshot.
 */
public final class Unpacker {

    private static final Log LOG = Log.of(Unpacker.class);

    private final ContentDiffer differ;

    public Unpacker(ContentDiffer differ) {
        this.differ = differ;
    }

    /**
     * The chain IDs of a stack of layers, base first (OCI image spec, "Layer ChainID"): the first is its diffID,
     * each next one {@code sha256("<previous chainID> <diffID>")}.
     */
    public static List<String> chainIds(List<String> diffIds) {
        List<String> out = new ArrayList<>();
        String chain = null;
        for (String diffId : diffIds) {
            chain = chain == null ? diffId
                    : ContentBlobs.sha256((chain + " " + diffId).getBytes(StandardCharsets.UTF_8)).toString();
            out.add(chain);
        }
        return out;
    }

    /**
     * Unpacks {@code image} into {@code snapshotter} from {@code content} (both views of the same namespace, with
     * the caller's lease); answers the top chain ID, which is empty for an image without layers.
     */
    public String unpack(ContentStore content, MetadataSnapshotter snapshotter, ResolvedImage image)
            throws IOException {
        List<OciDescriptor> layers = image.manifest().layers() == null ? List.of() : image.manifest().layers();
        List<String> diffIds = image.config().diffIds();
        if (layers.size() != diffIds.size()) {
            throw BerthException.invalidArgument("unpack " + image.manifestDescriptor().digest() + ": "
                    + layers.size() + " layers but " + diffIds.size() + " diff_ids in the config");
        }
        List<String> chains = chainIds(diffIds);
        String parent = "";
        for (int i = 0; i < layers.size(); i++) {
            String chain = chains.get(i);
            if (!exists(snapshotter, chain)) {
                apply(content, snapshotter, layers.get(i).toDescriptor(), diffIds.get(i), parent, chain);
            }
            parent = chain;
        }
        if (!parent.isEmpty()) {
            ContentBlobs.label(content, image.configDescriptor().digest(),
                    ChildLabels.ofConfig(snapshotter.name(), parent));
        }
        return parent;
    }

    private void apply(ContentStore content, MetadataSnapshotter snapshotter, Descriptor layer, String diffId,
                       String parent, String chain) throws IOException {
        String key = "extract-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()) + "-"
                + Digest.parse(chain).encoded();
        List<Mount> mounts = snapshotter.prepare(key, parent, Map.of());
        try {
            Descriptor applied = differ.apply(content, layer, mounts, true);
            if (!applied.digest().toString().equals(diffId)) {
                throw BerthException.invalidArgument("unpack layer " + layer.digest() + ": its diffID is "
                        + applied.digest() + ", the config says " + diffId);
            }
            if (Compression.ofMediaType(layer.mediaType()) != Compression.NONE) {
                labelUncompressed(content, layer.digest(), diffId);
            }
            snapshotter.commit(chain, key, Map.of());
        } catch (BerthException e) {
            removeAfterFailure(snapshotter, key, e);
            if (e.kind() != ErrorKind.ALREADY_EXISTS) {
                throw e;
            }
            // the chain was committed meanwhile by someone else: theirs is as good as ours
        } catch (IOException | RuntimeException e) {
            removeAfterFailure(snapshotter, key, e);
            throw e;
        }
        LOG.debug("layer unpacked", "layer", layer.digest(), "chain", chain);
    }

    private static void removeAfterFailure(MetadataSnapshotter snapshotter, String key, Exception failure) {
        try {
            snapshotter.remove(key);
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private static void labelUncompressed(ContentStore content, Digest layer, String diffId) throws IOException {
        ContentInfo info = content.info(layer);
        if (!diffId.equals(info.labels().get(ContentDiffer.UNCOMPRESSED))) {
            ContentBlobs.label(content, layer, Map.of(ContentDiffer.UNCOMPRESSED, diffId));
        }
    }

    private static boolean exists(MetadataSnapshotter snapshotter, String chain) throws IOException {
        try {
            snapshotter.stat(chain);
            return true;
        } catch (BerthException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }
}
