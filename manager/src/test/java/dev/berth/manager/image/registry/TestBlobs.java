package dev.berth.manager.image.registry;

import dev.berth.manager.content.Descriptor;
import dev.berth.manager.content.Digest;
import dev.berth.manager.image.oci.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Random;

/** Blobs and a manifest for pushing: random layer bytes, a config and an OCI manifest naming both. */
record TestBlobs(byte[] layer, Descriptor layerDesc, byte[] config, Descriptor configDesc, byte[] manifest,
        Descriptor manifestDesc) {

    static TestBlobs random(long seed, int layerSize) {
        byte[] layer = new byte[layerSize];
        new Random(seed).nextBytes(layer);
        Descriptor layerDesc = new Descriptor(MediaTypes.OCI_LAYER_GZIP, sha256(layer), layer.length);
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                + layerDesc.digest() + "\"]},\"config\":{\"Env\":[\"SEED=" + seed + "\"]}}")
                .getBytes(StandardCharsets.UTF_8);
        Descriptor configDesc = new Descriptor(MediaTypes.OCI_CONFIG, sha256(config), config.length);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\","
                + "\"config\":" + json(configDesc) + ",\"layers\":[" + json(layerDesc) + "]}")
                .getBytes(StandardCharsets.UTF_8);
        Descriptor manifestDesc = new Descriptor(MediaTypes.OCI_MANIFEST, sha256(manifest), manifest.length);
        return new TestBlobs(layer, layerDesc, config, configDesc, manifest, manifestDesc);
    }

    private static String json(Descriptor d) {
        return "{\"mediaType\":\"" + d.mediaType() + "\",\"digest\":\"" + d.digest() + "\",\"size\":" + d.size() + "}";
    }

    static Digest sha256(byte[] bytes) {
        try {
            return Digest.sha256(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
