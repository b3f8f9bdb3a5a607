package dev.berth.it.manager.support;

import static dev.berth.it.support.DefaultSpec.arr;
import static dev.berth.it.support.DefaultSpec.obj;

import dev.berth.it.support.Json;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * An OCI image layout directory (image-spec {@code image-layout.md}) being written: {@code oci-layout},
 * {@code blobs/sha256/<hex>} and an {@code index.json} naming each manifest with
 * {@code org.opencontainers.image.ref.name}.
 *
 * <p>Layers are written in one pass: tar entries go through a SHA-256 (the diff_id), then gzip, then a second
 * SHA-256 (the blob digest) into a temp file, which is renamed to its digest when complete.
 */
final class OciLayout {
    /** The body of one layer: tar entries written in order. */
    @FunctionalInterface
    interface LayerContent {
        void writeTo(TarWriter tar) throws IOException;
    }

    private final Path dir;
    private final Path blobs;
    private final List<Object> manifests = new ArrayList<>();

    private OciLayout(Path dir, Path blobs) {
        this.dir = dir;
        this.blobs = blobs;
    }

    static OciLayout create(Path dir) throws IOException {
        Path blobs = Files.createDirectories(dir.resolve("blobs/sha256"));
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        OciLayout layout = new OciLayout(dir, blobs);
        layout.writeIndex();
        return layout;
    }

    Path dir() {
        return dir;
    }

    /** Where the blob with this digest is stored. */
    Path blob(String digest) {
        return blobs.resolve(digest.substring("sha256:".length()));
    }

    Descriptor addBlob(String mediaType, byte[] content) throws IOException {
        String digest = "sha256:" + sha256Hex(content);
        Files.write(blob(digest), content);
        return new Descriptor(mediaType, digest, content.length);
    }

    /** Writes a gzip-compressed layer; the same entries always give the same digests. */
    Layer addLayer(LayerContent content) throws IOException {
        MessageDigest uncompressed = newSha256();
        MessageDigest compressed = newSha256();
        Path tmp = Files.createTempFile(blobs, "ingest-", "");
        try (OutputStream out = new BufferedOutputStream(new DigestOutputStream(
                new FastGzip(new DigestOutputStream(Files.newOutputStream(tmp), compressed)), uncompressed), 1 << 16);
                TarWriter tar = new TarWriter(out)) {
            content.writeTo(tar);
        }
        String digest = "sha256:" + HexFormat.of().formatHex(compressed.digest());
        Files.move(tmp, blob(digest), StandardCopyOption.REPLACE_EXISTING);
        return new Layer(new Descriptor(Descriptor.LAYER, digest, Files.size(blob(digest))),
                "sha256:" + HexFormat.of().formatHex(uncompressed.digest()));
    }

    /** Lists the manifest in {@code index.json} under {@code refName}. */
    void tag(Descriptor manifest, String refName, Map<String, Object> platform) throws IOException {
        manifests.add(obj("mediaType", manifest.mediaType(), "digest", manifest.digest(), "size", manifest.size(),
                "platform", platform, "annotations", obj("org.opencontainers.image.ref.name", refName)));
        writeIndex();
    }

    private void writeIndex() throws IOException {
        Map<String, Object> index = obj("schemaVersion", 2L, "mediaType", "application/vnd.oci.image.index.v1+json",
                "manifests", arr(manifests.toArray()));
        Files.writeString(dir.resolve("index.json"), Json.write(index), StandardCharsets.UTF_8);
    }

    static String sha256Hex(byte[] content) {
        return HexFormat.of().formatHex(newSha256().digest(content));
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    /** gzip at the fastest level: most bytes of the test layers are random and do not compress anyway. */
    private static final class FastGzip extends GZIPOutputStream {
        FastGzip(OutputStream out) throws IOException {
            super(out, 1 << 16);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }
}
