package dev.berth.it.manager.support;

import static dev.berth.it.support.DefaultSpec.arr;
import static dev.berth.it.support.DefaultSpec.obj;

import com.github.luben.zstd.ZstdOutputStream;
import dev.berth.it.support.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Images for pull edge cases, written into their own {@link OciLayout} next to {@link TestImages}' busybox layer:
 *
 * <ul>
 *   <li>{@code multiarch:latest}: an OCI index naming linux/arm64 first and linux/amd64 second; each manifest has
 *       the busybox layer and a layer writing {@code /platform} with its architecture, and a config naming it.
 *   <li>{@code zstd:latest}: the busybox layer (gzip) and a {@code tar+zstd} layer writing {@link #ZSTD_FILE}.
 *   <li>{@code corrupt:latest}: the busybox layer and a small layer of its own ({@code /corrupt}), which a faulty
 *       proxy can serve with a byte changed.
 * </ul>
 */
public final class EdgeImages {
    public static final String ZSTD_LAYER = "application/vnd.oci.image.layer.v1.tar+zstd";
    public static final String INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String ZSTD_FILE = "/zstd-file";
    public static final String ZSTD_CONTENT = "from a zstd layer\n";
    private static final String PATH_ENV = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final OciLayout layout;
    private final Descriptor index;
    private final TestImage amd64;
    private final TestImage arm64;
    private final TestImage zstd;
    private final TestImage corrupt;

    private EdgeImages(OciLayout layout, Descriptor index, TestImage amd64, TestImage arm64, TestImage zstd,
            TestImage corrupt) {
        this.layout = layout;
        this.index = index;
        this.amd64 = amd64;
        this.arm64 = arm64;
        this.zstd = zstd;
        this.corrupt = corrupt;
    }

    /** Writes the images as an OCI image layout in {@code dir}. */
    public static EdgeImages build(Path dir) throws IOException {
        OciLayout layout = OciLayout.create(dir);
        Layer base = layout.addLayer(TestImages::busyboxLayer);
        TestImage arm64 = image(layout, "multiarch", "arm64", List.of(base,
                layout.addLayer(tar -> tar.file("platform", 0644, text("arm64\n")))));
        TestImage amd64 = image(layout, "multiarch", "amd64", List.of(base,
                layout.addLayer(tar -> tar.file("platform", 0644, text("amd64\n")))));
        Map<String, Object> indexJson = obj("schemaVersion", 2L, "mediaType", INDEX, "manifests", arr(
                platformEntry(arm64, "arm64"), platformEntry(amd64, "amd64")));
        Descriptor index = layout.addBlob(INDEX, json(indexJson));

        ByteArrayOutputStream tarBytes = new ByteArrayOutputStream();
        try (TarWriter tar = new TarWriter(tarBytes)) {
            tar.file(ZSTD_FILE.substring(1), 0644, text(ZSTD_CONTENT));
        }
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (ZstdOutputStream z = new ZstdOutputStream(compressed)) {
            z.write(tarBytes.toByteArray());
        }
        Descriptor zstdBlob = layout.addBlob(ZSTD_LAYER, compressed.toByteArray());
        Layer zstdLayer = new Layer(zstdBlob, "sha256:" + OciLayout.sha256Hex(tarBytes.toByteArray()));
        TestImage zstd = image(layout, "zstd", TestImages.goArch(), List.of(base, zstdLayer));

        TestImage corrupt = image(layout, "corrupt", TestImages.goArch(), List.of(base,
                layout.addLayer(tar -> tar.file("corrupt", 0644, text("corrupt ".repeat(4096))))));
        return new EdgeImages(layout, index, amd64, arm64, zstd, corrupt);
    }

    /** The index {@code multiarch:latest} resolves to. */
    public Descriptor index() {
        return index;
    }

    public TestImage amd64() {
        return amd64;
    }

    public TestImage arm64() {
        return arm64;
    }

    public TestImage zstd() {
        return zstd;
    }

    public TestImage corrupt() {
        return corrupt;
    }

    /** The layer of {@link #corrupt()} that is its own (not busybox's). */
    public Descriptor corruptLayer() {
        return corrupt.layers().getLast().blob();
    }

    /** Pushes {@code multiarch:latest} (both manifests by digest, then the index), {@code zstd} and {@code corrupt}. */
    public void pushTo(LocalRegistry registry) throws IOException {
        RegistryClient client = registry.client();
        for (TestImage image : List.of(arm64, amd64)) {
            pushBlobs(client, image);
            client.pushManifest("multiarch", image.manifest().digest(), image.manifest(),
                    layout.blob(image.manifest().digest()));
        }
        client.pushManifest("multiarch", "latest", index, layout.blob(index.digest()));
        for (TestImage image : List.of(zstd, corrupt)) {
            pushBlobs(client, image);
            client.pushManifest(image.name(), image.tag(), image.manifest(), layout.blob(image.manifest().digest()));
        }
    }

    private void pushBlobs(RegistryClient client, TestImage image) throws IOException {
        for (Layer layer : image.layers()) {
            client.pushBlob(image.name(), layer.blob(), layout.blob(layer.blob().digest()));
        }
        client.pushBlob(image.name(), image.config(), layout.blob(image.config().digest()));
    }

    private static Map<String, Object> platformEntry(TestImage image, String arch) {
        Descriptor m = image.manifest();
        return obj("mediaType", m.mediaType(), "digest", m.digest(), "size", m.size(),
                "platform", obj("architecture", arch, "os", "linux"));
    }

    private static TestImage image(OciLayout layout, String name, String arch, List<Layer> layers) throws IOException {
        Map<String, Object> config = obj(
                "created", "2001-01-01T00:00:00Z",
                "architecture", arch,
                "os", "linux",
                "config", obj("Env", arr(PATH_ENV), "Cmd", arr("sh"), "WorkingDir", "/"),
                "rootfs", obj("type", "layers", "diff_ids", arr(layers.stream().map(Layer::diffId).toArray())));
        Descriptor configBlob = layout.addBlob(Descriptor.CONFIG, json(config));
        Map<String, Object> manifest = obj(
                "schemaVersion", 2L,
                "mediaType", Descriptor.MANIFEST,
                "config", descriptor(configBlob),
                "layers", arr(layers.stream().map(l -> descriptor(l.blob())).toArray()));
        Descriptor manifestBlob = layout.addBlob(Descriptor.MANIFEST, json(manifest));
        return new TestImage(name, "latest", manifestBlob, configBlob, layers);
    }

    private static Map<String, Object> descriptor(Descriptor d) {
        return obj("mediaType", d.mediaType(), "digest", d.digest(), "size", d.size());
    }

    private static byte[] json(Map<String, Object> value) {
        return Json.write(value).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
