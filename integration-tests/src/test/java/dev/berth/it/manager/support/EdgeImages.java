package dev.berth.it.manager.support;

import static dev.berth.testsupport.Json.arr;
import static dev.berth.testsupport.Json.obj;

import com.github.luben.zstd.ZstdOutputStream;
import dev.berth.testsupport.BusyboxImage;
import dev.berth.testsupport.Descriptor;
import dev.berth.testsupport.Json;
import dev.berth.testsupport.Layer;
import dev.berth.testsupport.LocalRegistry;
import dev.berth.testsupport.OciLayout;
import dev.berth.testsupport.TarWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Images for pull edge cases, written into their own {@link OciLayout} over test-support's busybox layer:
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
    public static final String ZSTD_FILE = "/zstd-file";
    public static final String ZSTD_CONTENT = "from a zstd layer\n";

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
        Layer base = layout.addLayer(BusyboxImage::layer);
        TestImage arm64 = image(layout, "multiarch", "arm64", List.of(base,
                layout.addLayer(tar -> tar.file("platform", 0644, text("arm64\n")))));
        TestImage amd64 = image(layout, "multiarch", "amd64", List.of(base,
                layout.addLayer(tar -> tar.file("platform", 0644, text("amd64\n")))));
        Map<String, Object> indexJson = obj("schemaVersion", 2L, "mediaType", Descriptor.INDEX, "manifests", arr(
                platformEntry(arm64, "arm64"), platformEntry(amd64, "amd64")));
        Descriptor index = layout.addBlob(Descriptor.INDEX, json(indexJson));

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
        TestImage zstd = image(layout, "zstd", OciLayout.goArch(), List.of(base, zstdLayer));

        TestImage corrupt = image(layout, "corrupt", OciLayout.goArch(), List.of(base,
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
        for (TestImage image : List.of(arm64, amd64)) {
            registry.push("multiarch", image.manifest().digest(), layout, image.image());
        }
        registry.pushManifest("multiarch", "latest", index, layout.blob(index.digest()));
        for (TestImage image : List.of(zstd, corrupt)) {
            registry.push(image.name(), image.tag(), layout, image.image());
        }
    }

    private static Map<String, Object> platformEntry(TestImage image, String arch) {
        Descriptor m = image.manifest();
        return obj("mediaType", m.mediaType(), "digest", m.digest(), "size", m.size(),
                "platform", obj("architecture", arch, "os", "linux"));
    }

    private static TestImage image(OciLayout layout, String name, String arch, List<Layer> layers) throws IOException {
        return new TestImage(name, layout.addImage(arch, layers));
    }

    private static byte[] json(Map<String, Object> value) {
        return Json.write(value).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
