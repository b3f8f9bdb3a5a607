package dev.berth.manager.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.luben.zstd.ZstdOutputStream;
import dev.berth.manager.content.Descriptor;
import dev.berth.manager.content.Digest;
import dev.berth.manager.diff.TarEntry;
import dev.berth.manager.diff.TarWriter;
import dev.berth.manager.image.oci.MediaTypes;
import dev.berth.manager.image.oci.Platform;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/** Builds small images (layers, config, manifest, index) in memory and publishes them to a {@link FakeRegistry}. */
final class RegistryTestImages {

    static final Instant T = Instant.ofEpochSecond(1_700_000_000L);
    private static final ObjectMapper JSON = new ObjectMapper();

    enum Kind { TAR, GZIP, ZSTD }

    /** A layer blob with its media type and diffID. */
    record Layer(byte[] blob, String mediaType, Digest diffId) {
        Descriptor descriptor() {
            return new Descriptor(mediaType, FakeRegistry.digest(blob), blob.length);
        }
    }

    /** A published single-platform image. */
    record Image(Descriptor manifest, Descriptor config, List<Layer> layers) {
        List<String> chainIds() {
            return ChainIds.of(layers.stream().map(l -> l.diffId().toString()).toList());
        }
    }

    /** One entry of a layer built by {@link #layer(Kind, List)}: its header and, for a regular file, its bytes. */
    record Entry(TarEntry header, byte[] content) {
        static Entry of(TarEntry header) {
            return new Entry(header, new byte[0]);
        }
    }

    /**
     * Files of a layer: path → content; a value of null writes a whiteout for the path. Their directories are not
     * listed (as some image builders write layers): the unpacker creates them.
     */
    static Layer layer(Kind kind, Map<String, byte[]> files) {
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            String path = f.getKey();
            int slash = path.lastIndexOf('/');
            if (f.getValue() == null) {
                String ws = path.substring(0, slash + 1) + ".wh." + path.substring(slash + 1);
                entries.add(Entry.of(TarEntry.file(ws, 0644, 0, T)));
            } else {
                entries.add(new Entry(TarEntry.file(path, 0644, f.getValue().length, T), f.getValue()));
            }
        }
        return layer(kind, entries);
    }

    /** A layer of these entries, in this order. */
    static Layer layer(Kind kind, List<Entry> entries) {
        try {
            ByteArrayOutputStream tar = new ByteArrayOutputStream();
            TarWriter w = new TarWriter(tar);
            for (Entry e : entries) {
                w.write(e.header(), new ByteArrayInputStream(e.content()));
            }
            w.finish();
            byte[] plain = tar.toByteArray();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            String mediaType;
            switch (kind) {
                case TAR -> {
                    out.write(plain);
                    mediaType = MediaTypes.OCI_LAYER;
                }
                case GZIP -> {
                    try (OutputStream z = new FastGzip(out)) {
                        z.write(plain);
                    }
                    mediaType = MediaTypes.DOCKER_LAYER_GZIP;
                }
                default -> {
                    try (OutputStream z = new ZstdOutputStream(out, 3)) {
                        z.write(plain);
                    }
                    mediaType = MediaTypes.OCI_LAYER_ZSTD;
                }
            }
            return new Layer(out.toByteArray(), mediaType, FakeRegistry.digest(plain));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, byte[]> files(String... pathThenContent) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (int i = 0; i < pathThenContent.length; i += 2) {
            String c = pathThenContent[i + 1];
            m.put(pathThenContent[i], c == null ? null : c.getBytes(StandardCharsets.UTF_8));
        }
        return m;
    }

    /** Publishes layers, config and manifest into {@code repo}, tagged {@code tag} if not null. */
    static Image publish(FakeRegistry reg, String repo, String tag, Platform platform, List<Layer> layers) {
        ObjectNode config = JSON.createObjectNode();
        config.put("architecture", platform.architecture());
        config.put("os", platform.os());
        config.putObject("config").putArray("Cmd").add("/bin/sh");
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode ids = rootfs.putArray("diff_ids");
        layers.forEach(l -> ids.add(l.diffId().toString()));
        byte[] configBytes = bytes(config);
        reg.putBlob(repo, configBytes);
        Descriptor configDesc = new Descriptor(MediaTypes.OCI_CONFIG, FakeRegistry.digest(configBytes),
                configBytes.length);

        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
        manifest.set("config", descriptor(configDesc));
        ArrayNode ls = manifest.putArray("layers");
        for (Layer l : layers) {
            reg.putBlob(repo, l.blob());
            ls.add(descriptor(l.descriptor()));
        }
        Descriptor md = reg.putManifest(repo, tag, MediaTypes.OCI_MANIFEST, bytes(manifest));
        return new Image(md, configDesc, layers);
    }

    /** Publishes an index over {@code images} (already published, untagged) with their platforms. */
    static Descriptor publishIndex(FakeRegistry reg, String repo, String tag, Map<Platform, Image> images) {
        ObjectNode index = JSON.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaTypes.OCI_INDEX);
        ArrayNode ms = index.putArray("manifests");
        images.forEach((p, img) -> {
            ObjectNode d = descriptor(img.manifest());
            ObjectNode pn = d.putObject("platform");
            pn.put("architecture", p.architecture());
            pn.put("os", p.os());
            ms.add(d);
        });
        return reg.putManifest(repo, tag, MediaTypes.OCI_INDEX, bytes(index));
    }

    private static ObjectNode descriptor(Descriptor d) {
        ObjectNode n = JSON.createObjectNode();
        n.put("mediaType", d.mediaType());
        n.put("digest", d.digest().toString());
        n.put("size", d.size());
        return n;
    }

    private static byte[] bytes(ObjectNode n) {
        try {
            return JSON.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Layer> list(Layer... ls) {
        return new ArrayList<>(List.of(ls));
    }

    /** gzip at level 1: test data is built fast; the puller does not care how hard it was compressed. */
    private static final class FastGzip extends GZIPOutputStream {
        FastGzip(OutputStream out) throws IOException {
            super(out, 1 << 16);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }
}
