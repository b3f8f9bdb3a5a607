package dev.berth.manager.image;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.manager.content.Digest;
import dev.berth.manager.diff.TarEntry;
import dev.berth.manager.diff.TarWriter;
import dev.berth.manager.image.archive.ImageImporter;
import dev.berth.manager.image.oci.MediaTypes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * A small two-layer OCI image written by the test: a gzip layer with {@code etc/hostname} and a plain layer with
 * {@code hello.txt}; as an OCI layout directory (for skopeo) or an OCI archive (tar of that directory).
 */
final class TestImages {

    static final Instant T = Instant.ofEpochSecond(1_700_000_000L);
    static final String REF_NAME = "sample:1";
    static final String NAME = "docker.io/library/sample:1";
    static final String HELLO = "hello from a layer\n";

    final byte[] layer1Tar;
    final byte[] layer1Gzip;
    final byte[] layer2Tar;
    final byte[] config;
    final byte[] manifest;
    final byte[] index;

    TestImages() throws IOException {
        layer1Tar = tar(List.of(TarEntry.directory("etc/", 0755, T)), "etc/hostname", "sample\n");
        layer1Gzip = gzip(layer1Tar);
        layer2Tar = tar(List.of(), "hello.txt", HELLO);
        ObjectNode c = ContentBlobs.JSON.createObjectNode();
        c.put("architecture", "amd64").put("os", "linux").put("created", T.toString());
        ObjectNode proc = c.putObject("config");
        proc.putArray("Env").add("PATH=/bin");
        proc.putArray("Cmd").add("sh");
        ObjectNode rootfs = c.putObject("rootfs").put("type", "layers");
        rootfs.putArray("diff_ids").add(sha(layer1Tar)).add(sha(layer2Tar));
        ArrayNode history = c.putArray("history");
        history.addObject().put("created", T.toString()).put("created_by", "layer 1");
        history.addObject().put("created", T.toString()).put("created_by", "layer 2");
        config = ContentBlobs.JSON.writeValueAsBytes(c);
        ObjectNode m = ContentBlobs.JSON.createObjectNode();
        m.put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_MANIFEST);
        m.set("config", desc(MediaTypes.OCI_CONFIG, config));
        m.putArray("layers").add(desc(MediaTypes.OCI_LAYER_GZIP, layer1Gzip)).add(desc(MediaTypes.OCI_LAYER, layer2Tar));
        manifest = ContentBlobs.JSON.writeValueAsBytes(m);
        ObjectNode i = ContentBlobs.JSON.createObjectNode();
        i.put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_INDEX);
        ObjectNode entry = desc(MediaTypes.OCI_MANIFEST, manifest);
        entry.putObject("annotations").put(ImageImporter.ANNOTATION_REF_NAME, REF_NAME);
        i.putArray("manifests").add(entry);
        index = ContentBlobs.JSON.writeValueAsBytes(i);
    }

    String manifestDigest() {
        return sha(manifest);
    }

    List<byte[]> blobs() {
        return List.of(config, manifest, layer1Gzip, layer2Tar);
    }

    /** The image as an OCI layout directory. */
    Path writeLayout(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("blobs/sha256"));
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.write(dir.resolve("index.json"), index);
        for (byte[] b : blobs()) {
            Files.write(dir.resolve("blobs/sha256/" + Digest.parse(sha(b)).encoded()), b);
        }
        return dir;
    }

    /** The image as an OCI archive; {@code replace} swaps the bytes of one blob (same digest path). */
    byte[] ociArchive(byte[] replaceManifestWith) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TarWriter tar = new TarWriter(out);
        for (byte[] b : blobs()) {
            byte[] data = b == manifest && replaceManifestWith != null ? replaceManifestWith : b;
            file(tar, "blobs/sha256/" + Digest.parse(sha(b)).encoded(), data);
        }
        file(tar, "index.json", index);
        file(tar, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
        tar.finish();
        return out.toByteArray();
    }

    static void file(TarWriter tar, String name, byte[] data) throws IOException {
        tar.write(TarEntry.file(name, 0644, data.length, T), new ByteArrayInputStream(data));
    }

    static byte[] tar(List<TarEntry> dirs, String name, String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TarWriter tar = new TarWriter(out);
        for (TarEntry d : dirs) {
            tar.write(d, null);
        }
        file(tar, name, text.getBytes(StandardCharsets.UTF_8));
        tar.finish();
        return out.toByteArray();
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    static String sha(byte[] data) {
        return ContentBlobs.sha256(data).toString();
    }

    private static ObjectNode desc(String mediaType, byte[] data) {
        ObjectNode d = ContentBlobs.JSON.createObjectNode();
        d.put("mediaType", mediaType).put("digest", sha(data)).put("size", data.length);
        return d;
    }

    static List<String> strings(com.fasterxml.jackson.databind.JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
