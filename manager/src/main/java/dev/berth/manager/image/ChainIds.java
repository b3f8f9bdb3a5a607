package dev.berth.manager.image;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Chain IDs (OCI image spec, "Layer ChainID"; containerd {@code identity.ChainIDs}): the first layer's is its
 * diffID, each next one is {@code sha256(parentChainID + " " + diffID)}. A committed snapshot holding layers 0..i
 * is named by chain ID i, so images sharing a base share its snapshots. The one computation of them in berthd;
 * clients read the top one from the config's {@code containerd.io/gc.ref.snapshot.<snapshotter>} label.
 */
public final class ChainIds {

    private ChainIds() {
    }

    /** The chain IDs of a stack of layers given by their diffIDs, base first. */
    public static List<String> of(List<String> diffIds) {
        List<String> out = new ArrayList<>(diffIds.size());
        String parent = null;
        for (String diffId : diffIds) {
            String id = parent == null ? diffId
                    : ContentBlobs.sha256((parent + " " + diffId).getBytes(StandardCharsets.UTF_8)).toString();
            out.add(id);
            parent = id;
        }
        return out;
    }
}
