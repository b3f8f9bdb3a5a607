package dev.berth.manager.image;

import dev.berth.manager.content.Digest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * Chain IDs (OCI image spec, "Layer ChainID"): the first layer's is its diffID, each next one is
 * {@code sha256(parentChainID + " " + diffID)}. A committed snapshot holding layers 0..i is named by chain ID i,
 * so images sharing a base share its snapshots.
 */
final class ChainIds {

    private ChainIds() {
    }

    static List<String> of(List<String> diffIds) {
        List<String> out = new ArrayList<>(diffIds.size());
        String parent = null;
        for (String diffId : diffIds) {
            String id = parent == null ? diffId : sha256(parent + " " + diffId);
            out.add(id);
            parent = id;
        }
        return out;
    }

    private static String sha256(String s) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return Digest.sha256(hash).toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
