package dev.berth.cli.image;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * An image as {@code run} needs it: the platform's manifest, its config (the JSON tree) and the layers' diffIDs.
 *
 * @param name the recorded name
 * @param manifestDigest the platform manifest's digest
 * @param configDigest the config's digest: docker's image ID
 * @param config the config blob (image-spec {@code config.md})
 * @param size the manifest's config and layers, as stored (compressed)
 */
public record ResolvedImage(String name, String manifestDigest, String configDigest, JsonNode config, long size) {

    /** {@code rootfs.diff_ids}, bottom first. */
    public List<String> diffIds() {
        return config.path("rootfs").path("diff_ids").valueStream().map(JsonNode::asText).toList();
    }

    /**
     * The top layer's chain ID (image-spec {@code config.md}: {@code ChainID(L0) = DiffID(L0)},
     * {@code ChainID(Ln) = SHA256(ChainID(Ln-1) + " " + DiffID(Ln))}): the name of the committed snapshot that a
     * container's rootfs is prepared on.
     */
    public String chainId() {
        String chain = null;
        for (String diffId : diffIds()) {
            chain = chain == null ? diffId : "sha256:" + sha256(chain + " " + diffId);
        }
        if (chain == null) {
            throw new IllegalStateException("image " + name + ": config has no rootfs.diff_ids");
        }
        return chain;
    }

    /** {@code config.config}: Env, Cmd, Entrypoint, WorkingDir, User. */
    public JsonNode runConfig() {
        return config.path("config");
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
