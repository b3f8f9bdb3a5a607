package dev.berth.manager.image;

import dev.berth.manager.content.ContentInfo;
import dev.berth.manager.content.ContentStore;
import dev.berth.manager.content.Digest;
import dev.berth.manager.image.oci.MediaTypes;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The labels containerd's client puts on pulled content and snapshots (and reads again on push), and the one way
 * they are added to a blob.
 */
final class ImageLabels {

    /** Prefix; {@code containerd.io/distribution.source.<registry host>} = the repositories the blob came from. */
    static final String DISTRIBUTION_SOURCE_PREFIX = "containerd.io/distribution.source.";
    /** On a layer blob: its diffID (the digest of the uncompressed tar). */
    static final String UNCOMPRESSED = "containerd.io/uncompressed";
    /** On an unpacked layer's snapshot: its chain ID. */
    static final String SNAPSHOT_REF = "containerd.io/snapshot.ref";

    private ImageLabels() {
    }

    static String sourceKey(ImageReference ref) {
        return DISTRIBUTION_SOURCE_PREFIX + ref.domain();
    }

    /** The repositories (comma-separated value) a blob's source label for {@code host} names. */
    static List<String> sources(ContentInfo info, String host) {
        String v = info.labels().get(DISTRIBUTION_SOURCE_PREFIX + host);
        return v == null || v.isEmpty() ? List.of() : List.of(v.split(","));
    }

    /**
     * The gc references a manifest or index keeps (containerd {@code images.ChildGCLabels}): an index its
     * manifests as {@code .m.<i>}, a manifest its config as {@code .config} and its layers as {@code .l.<i>}.
     */
    static String childKey(String parentMediaType, String childMediaType, int i) {
        String base = dev.berth.manager.metadata.GcLabels.REF_CONTENT;
        if (MediaTypes.isIndex(parentMediaType)) {
            return base + ".m." + i;
        }
        if (childMediaType.equals(MediaTypes.OCI_CONFIG) || childMediaType.equals(MediaTypes.DOCKER_CONFIG)) {
            return base + ".config";
        }
        return base + ".l." + i;
    }

    /**
     * Adds {@code labels} to blob {@code digest}, merging the distribution-source labels (a comma-separated list,
     * as containerd's {@code AppendDistributionSourceLabel}) and replacing the others; writes only what changes.
     */
    static void add(ContentStore content, Digest digest, Map<String, String> labels) throws IOException {
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

    /** The labels of a freshly fetched blob: its source, plus {@code extra}. */
    static Map<String, String> withSource(ImageReference ref, Map<String, String> extra) {
        Map<String, String> out = new HashMap<>(extra);
        out.put(sourceKey(ref), ref.path());
        return out;
    }
}
