package dev.berth.testsupport;

import static dev.berth.testsupport.Json.arr;
import static dev.berth.testsupport.Json.obj;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * An OCI image layout directory (image-spec {@code image-layout.md}) being written: {@code oci-layout},
 * {@code blobs/sha256/<hex>} and an {@code index.json} listing each tagged manifest with its annotations; it can
 * be packed as an OCI archive (the layout in a tar, what {@code ctr images import} and {@code berth load} read).
 *
 * <p>Layers are written in one pass: tar entries go through a SHA-256 (the diff_id), then gzip, then a second
 * SHA-256 (the blob digest) into a temp file, which is renamed to its digest when complete. The same entries give
 * the same digests on every run.
 */
public final class OciLayout {
    /** The body of one layer: tar entries written in order. */
    @FunctionalInterface
    public interface LayerContent {
        void writeTo(TarWriter tar) throws IOException;
    }

    /** An image in the layout: its manifest, config and layers, bottom first. */
    public record Image(Descriptor manifest, Descriptor config, List<Layer> layers) {
        public Image {
            layers = List.copyOf(layers);
        }
    }

    /** The annotation OCI layouts name an index entry with ({@code skopeo oci:DIR:NAME}, {@code ctr import}). */
    public static final String REF_NAME = "org.opencontainers.image.ref.name";
    /** The annotation containerd names an imported image with, before {@link #REF_NAME}. */
    public static final String CONTAINERD_NAME = "io.containerd.image.name";
    /** The fixed creation time of every image config written here. */
    static final String CREATED = "2024-01-01T00:00:00Z";
    private static final String PATH_ENV = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final Path dir;
    private final Path blobs;
    private final List<Object> manifests = new ArrayList<>();

    private OciLayout(Path dir, Path blobs) {
        this.dir = dir;
        this.blobs = blobs;
    }

    public static OciLayout create(Path dir) throws IOException {
        Path blobs = Files.createDirectories(dir.resolve("blobs/sha256"));
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        OciLayout layout = new OciLayout(dir, blobs);
        layout.writeIndex();
        return layout;
    }

    public Path dir() {
        return dir;
    }

    /** Where the blob with this digest is stored. */
    public Path blob(String digest) {
        return blobs.resolve(digest.substring("sha256:".length()));
    }

    public Descriptor addBlob(String mediaType, byte[] content) throws IOException {
        String digest = "sha256:" + sha256Hex(content);
        Files.write(blob(digest), content);
        return new Descriptor(mediaType, digest, content.length);
    }

    /** Writes a gzip-compressed layer; the same entries always give the same digests. */
    public Layer addLayer(LayerContent content) throws IOException {
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

    /**
     * Writes the config and manifest of a linux image of {@code layers} for {@code architecture} (Go's word:
     * amd64, arm64) with a shell's defaults: {@code PATH}, {@code Cmd ["sh"]}, {@code WorkingDir /}.
     */
    public Image addImage(String architecture, List<Layer> layers) throws IOException {
        Map<String, Object> config = obj(
                "created", CREATED,
                "architecture", architecture,
                "os", "linux",
                "config", obj("Env", arr(PATH_ENV), "Cmd", arr("sh"), "WorkingDir", "/"),
                "rootfs", obj("type", "layers", "diff_ids", arr(layers.stream().map(Layer::diffId).toArray())));
        Descriptor configBlob = addBlob(Descriptor.CONFIG, json(config));
        Map<String, Object> manifest = obj(
                "schemaVersion", 2L,
                "mediaType", Descriptor.MANIFEST,
                "config", descriptor(configBlob),
                "layers", arr(layers.stream().map(l -> descriptor(l.blob())).toArray()));
        return new Image(addBlob(Descriptor.MANIFEST, json(manifest)), configBlob, layers);
    }

    /** Lists {@code image} in {@code index.json} for linux/{@code architecture} with {@code annotations}. */
    public void tag(Image image, String architecture, Map<String, String> annotations) throws IOException {
        Map<String, Object> entry = descriptor(image.manifest());
        entry.put("annotations", new TreeMap<>(annotations));
        entry.put("platform", obj("architecture", architecture, "os", "linux"));
        manifests.add(entry);
        writeIndex();
    }

    /**
     * Packs the layout into the tar {@code target} (an OCI archive): {@code oci-layout}, {@code index.json}, then
     * the blobs sorted by digest, with fixed modes, owners and times, so the same layout gives the same bytes.
     */
    public void writeArchive(Path target) throws IOException {
        List<Path> blobFiles;
        try (Stream<Path> list = Files.list(blobs)) {
            blobFiles = list.sorted().toList();
        }
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(target), 1 << 16);
                TarWriter tar = new TarWriter(out)) {
            tar.file("oci-layout", 0644, Files.readAllBytes(dir.resolve("oci-layout")));
            tar.file("index.json", 0644, Files.readAllBytes(dir.resolve("index.json")));
            tar.directory("blobs", 0755);
            tar.directory("blobs/sha256", 0755);
            for (Path blob : blobFiles) {
                try (InputStream in = Files.newInputStream(blob)) {
                    tar.file("blobs/sha256/" + blob.getFileName(), 0644, Files.size(blob), in);
                }
            }
        }
    }

    public static String sha256Hex(byte[] content) {
        return HexFormat.of().formatHex(newSha256().digest(content));
    }

    /** The platform's architecture in Go's words, as image configs name it. */
    public static String goArch() {
        return switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> System.getProperty("os.arch");
        };
    }

    private void writeIndex() throws IOException {
        Map<String, Object> index = obj("schemaVersion", 2L, "mediaType", Descriptor.INDEX,
                "manifests", arr(manifests.toArray()));
        Files.writeString(dir.resolve("index.json"), Json.write(index), StandardCharsets.UTF_8);
    }

    private static Map<String, Object> descriptor(Descriptor d) {
        return obj("mediaType", d.mediaType(), "digest", d.digest(), "size", d.size());
    }

    private static byte[] json(Map<String, Object> value) {
        return Json.write(value).getBytes(StandardCharsets.UTF_8);
    }

    private static MessageDigest newSha256() {
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
