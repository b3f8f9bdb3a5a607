package dev.berth.manager.image;

import dev.berth.manager.content.ContentInfo;
import dev.berth.manager.content.ContentStore;
import dev.berth.manager.content.Descriptor;
import dev.berth.manager.content.Digest;
import dev.berth.manager.diff.ContentDiffer;
import dev.berth.manager.image.oci.Manifest;
import dev.berth.manager.image.oci.OciDescriptor;
import dev.berth.manager.image.reference.ImageReference;
import dev.berth.manager.metadata.GcLabels;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The labels containerd's client puts on an image's content and snapshots (and reads again on push), and the one
 * way they are added to a blob. The garbage-collection keys themselves are {@link GcLabels}'; the layer's
 * {@code containerd.io/uncompressed} is the differ's ({@link ContentDiffer#UNCOMPRESSED}), which writes it too.
 */
public final class ImageLabels {

    /** Prefix; {@code containerd.io/distribution.source.<registry host>} = the repositories the blob came from. */
    public static final String DISTRIBUTION_SOURCE_PREFIX = "containerd.io/distribution.source.";
    /** On a layer blob: its diffID (the digest of the uncompressed tar). */
    public static final String UNCOMPRESSED = ContentDiffer.UNCOMPRESSED;
    /** On an unpacked layer's snapshot (and its extraction snapshot): its chain ID. */
    public static final String SNAPSHOT_REF = "containerd.io/snapshot.ref";

    private ImageLabels() {
    }

    /** The source label's key for {@code ref}'s registry host. */
    public static String sourceKey(ImageReference ref) {
        return DISTRIBUTION_SOURCE_PREFIX + ref.domain();
    }

    /** The repositories (comma-separated value) a blob's source label for {@code host} names. */
    public static List<String> sources(ContentInfo info, String host) {
        String v = info.labels().get(DISTRIBUTION_SOURCE_PREFIX + host);
        return v == null || v.isEmpty() ? List.of() : List.of(v.split(","));
    }

    /** The labels of a freshly fetched blob: its source, plus {@code extra}. */
    public static Map<String, String> withSource(ImageReference ref, Map<String, String> extra) {
        Map<String, String> out = new HashMap<>(extra);
        out.put(sourceKey(ref), ref.path());
        return out;
    }

    /**
     * The gc references of a manifest (containerd {@code images.ChildGCLabels}): its config as {@code .config}
     * and its layers as {@code .l.<i>}.
     */
    public static Map<String, String> ofManifest(Manifest manifest) {
        Map<String, String> labels = new HashMap<>();
        labels.put(GcLabels.REF_CONTENT + ".config", manifest.config().digest());
        List<OciDescriptor> layers = manifest.layers() == null ? List.of() : manifest.layers();
        for (int i = 0; i < layers.size(); i++) {
            labels.put(GcLabels.REF_CONTENT + ".l." + i, layers.get(i).digest());
        }
        return labels;
    }

    /**
     * The gc references of an index to the manifests it keeps, as {@code .m.<i>} in the order given (a pull keeps
     * only the platform's, an import every one, as containerd's filtered children handler).
     */
    public static Map<String, String> ofIndex(List<Descriptor> manifests) {
        Map<String, String> labels = new HashMap<>();
        for (int i = 0; i < manifests.size(); i++) {
            labels.put(GcLabels.REF_CONTENT + ".m." + i, manifests.get(i).digest().toString());
        }
        return labels;
    }

    /** The label a config carries that keeps its image's top snapshot {@code chainId} in {@code snapshotter}. */
    public static Map<String, String> ofConfig(String snapshotter, String chainId) {
        return Map.of(snapshotLabel(snapshotter), chainId);
    }

    /** {@code containerd.io/gc.ref.snapshot.<snapshotter>}. */
    private static String snapshotLabel(String snapshotter) {
        return GcLabels.REF_SNAPSHOT_PREFIX + snapshotter;
    }

    /**
     * Adds {@code labels} to blob {@code digest}, merging the distribution-source labels (a comma-separated list,
     * as containerd's {@code AppendDistributionSourceLabel}) and replacing the others; writes only what changes.
     */
    public static void add(ContentStore content, Digest digest, Map<String, String> labels) throws IOException {
        if (labels.isEmpty()) {
            return;
        }
        ContentInfo info = content.info(digest);
        Map<String, String> changed = new HashMap<>();
        for (Map.Entry<String, String> e : labels.entrySet()) {
            String current = info.labels().get(e.getKey());
            String wanted = e.getValue();
            if (e.getKey().startsWith(DISTRIBUTION_SOURCE_PREFIX) && current != null && !current.isEmpty()) {
                Set<String> repos = new LinkedHashSet<>(List.of(current.split(",")));
                repos.add(wanted);
                wanted = String.join(",", repos);
            }
            if (!wanted.equals(current)) {
                changed.put(e.getKey(), wanted);
            }
        }
        if (changed.isEmpty()) {
            return;
        }
        Set<String> paths = new HashSet<>();
        for (String k : changed.keySet()) {
            paths.add("labels." + k);
        }
        content.update(digest, changed, paths);
    }
}
