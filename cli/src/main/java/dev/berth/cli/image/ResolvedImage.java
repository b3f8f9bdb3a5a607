package dev.berth.cli.image;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An image as {@code run} needs it: the platform's manifest and its config (the JSON tree).
 * The snapshot a container is prepared on is not computed here but read from berthd
 * ({@link ImageReader#topSnapshot}).
 *
 * @param name the recorded name
 * @param manifestDigest the platform manifest's digest
 * @param configDigest the config's digest: docker's image ID
 * @param config the config blob (image-spec {@code config.md})
 * @param size the manifest's config and layers, as stored (compressed)
 */
public record ResolvedImage(String name, String manifestDigest, String configDigest, JsonNode config, long size) {

    /** {@code config.config}: Env, Cmd, Entrypoint, WorkingDir, User. */
    public JsonNode runConfig() {
        return config.path("config");
    }
}
