package dev.berth.manager.image;

import dev.berth.manager.image.oci.Index;
import dev.berth.manager.image.oci.Manifest;
import dev.berth.manager.metadata.GcLabels;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The garbage-collection labels that tie an image's blobs together, as containerd's {@code images.SetChildrenLabels}:
 * a manifest keeps its config ({@code .config}) and layers ({@code .l.<i>}), an index its manifests
 * ({@code .m.<i>}); the config keeps the unpacked snapshot ({@code containerd.io/gc.ref.snapshot.<snapshotter>}).
 */
public final class ChildLabels {

    private ChildLabels() {
    }

    public static Map<String, String> ofManifest(Manifest manifest) {
        Map<String, String> labels = new HashMap<>();
        labels.put(GcLabels.REF_CONTENT + ".config", manifest.config().digest());
        List<?> layers = manifest.layers() == null ? List.of() : manifest.layers();
        for (int i = 0; i < layers.size(); i++) {
            labels.put(GcLabels.REF_CONTENT + ".l." + i, manifest.layers().get(i).digest());
        }
        return labels;
    }

    public static Map<String, String> ofIndex(Index index) {
        Map<String, String> labels = new HashMap<>();
        for (int i = 0; i < index.manifests().size(); i++) {
            labels.put(GcLabels.REF_CONTENT + ".m." + i, index.manifests().get(i).digest());
        }
        return labels;
    }

    /** The label a config carries that keeps its image's top snapshot in {@code snapshotter}. */
    public static Map<String, String> ofConfig(String snapshotter, String chainId) {
        return Map.of(GcLabels.REF_SNAPSHOT_PREFIX + snapshotter, chainId);
    }
}
