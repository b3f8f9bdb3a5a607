package dev.berth.it.containerd;

import static dev.berth.it.support.DefaultSpec.arr;
import static dev.berth.it.support.DefaultSpec.obj;

import dev.berth.it.support.Json;
import dev.berth.it.support.Rootfs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Builds a one-layer busybox image as an OCI image-layout tar (image-spec {@code image-layout.md}): a gzip layer,
 * the image config, the manifest, {@code index.json} with a {@code org.opencontainers.image.ref.name} annotation
 * and {@code oci-layout}, ready for {@code ctr images import}.
 */
public final class OciImageLayout {
    static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String CONFIG = "application/vnd.oci.image.config.v1+json";
    static final String LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";

    private OciImageLayout() {}

    /** Writes the image tar to {@code target}, with {@code work} as scratch, naming the image {@code reference}. */
    public static void writeBusybox(Path work, String reference, Path target) throws IOException {
        Path rootfs = work.resolve("image-rootfs");
        Rootfs.busybox(rootfs);

        ByteArrayOutputStream layerTar = new ByteArrayOutputStream();
        try (TarWriter tar = new TarWriter(layerTar)) {
            tar.addTree(rootfs);
        }
        byte[] uncompressed = layerTar.toByteArray();
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(gz)) {
            out.write(uncompressed);
        }
        byte[] layer = gz.toByteArray();

        Map<String, Object> config = obj(
                "architecture", "amd64",
                "os", "linux",
                "config", obj("Env", arr("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
                        "Cmd", arr("sh"), "WorkingDir", "/"),
                "rootfs", obj("type", "layers", "diff_ids", arr("sha256:" + sha256(uncompressed))));
        byte[] configBytes = Json.write(config).getBytes(StandardCharsets.UTF_8);

        Map<String, Object> manifest = obj(
                "schemaVersion", 2L,
                "mediaType", MANIFEST,
                "config", descriptor(CONFIG, configBytes),
                "layers", arr(descriptor(LAYER, layer)));
        byte[] manifestBytes = Json.write(manifest).getBytes(StandardCharsets.UTF_8);

        Map<String, Object> manifestDescriptor = descriptor(MANIFEST, manifestBytes);
        manifestDescriptor.put("annotations", obj("org.opencontainers.image.ref.name", reference));
        manifestDescriptor.put("platform", obj("architecture", "amd64", "os", "linux"));
        Map<String, Object> index = obj("schemaVersion", 2L, "mediaType", "application/vnd.oci.image.index.v1+json",
                "manifests", arr(manifestDescriptor));

        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
        files.put("index.json", Json.write(index).getBytes(StandardCharsets.UTF_8));
        for (byte[] blob : new byte[][] {layer, configBytes, manifestBytes}) {
            files.put("blobs/sha256/" + sha256(blob), blob);
        }
        try (OutputStream out = Files.newOutputStream(target); TarWriter tar = new TarWriter(out)) {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                tar.addFile(f.getKey(), 0644, f.getValue());
            }
        }
    }

    private static Map<String, Object> descriptor(String mediaType, byte[] content) {
        return obj("mediaType", mediaType, "digest", "sha256:" + sha256(content), "size", (long) content.length);
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
