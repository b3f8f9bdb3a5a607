package dev.berth.it.manager.support;

import dev.berth.testsupport.BusyboxImage;
import dev.berth.testsupport.Layer;
import dev.berth.testsupport.LocalRegistry;
import dev.berth.testsupport.OciLayout;
import dev.berth.testsupport.TarWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The suite's images, built without network into one OCI image layout and pushed to a {@link LocalRegistry}. Every
 * byte is deterministic, so the digests are the same on every run.
 *
 * <ul>
 *   <li>{@code busybox:latest}: test-support's {@link BusyboxImage} layer ({@code /bin/busybox} and its applets,
 *       {@code /etc/passwd}, {@code /etc/group}, {@code /tmp} 1777); Cmd {@code ["sh"]}.
 *   <li>{@code layers5:latest}: the busybox layer and five more. Layer {@code i} writes {@code /layers/i} and
 *       overwrites {@code /layers/top} with {@code i}; layers 1, 2 and 4 add 4 MiB of random bytes each
 *       ({@code /layers/fill-i}), layer 3 adds {@link #BIG_FILE} of {@link #BIG_FILE_SIZE} random bytes.
 *   <li>{@code whiteout:latest}: the busybox layer, a base layer with {@code /data/{a,b,c}},
 *       {@code /data/dir/{x,y}} and {@code /keep}, and an upper layer with {@code /data/.wh.b},
 *       {@code /data/dir/.wh..wh..opq}, {@code /data/dir/z} and {@code /data/d}; see {@link #WHITEOUT_LISTING}.
 * </ul>
 */
public final class TestImages {
    public static final String BIG_FILE = "/big";
    public static final long BIG_FILE_SIZE = 50L * 1024 * 1024;
    /** What {@code /layers/top} holds in {@code layers5}: the last layer's number. */
    public static final String LAYERS5_TOP = "5";
    /** Every entry of {@code /data} and {@code /data/dir} in {@code whiteout} (without "." and ".."), sorted. */
    public static final Map<String, List<String>> WHITEOUT_LISTING = Map.of(
            "/data", List.of("a", "c", "d", "dir"),
            "/data/dir", List.of("z"));
    /** {@code /keep} in {@code whiteout}: untouched by the upper layer. */
    public static final String WHITEOUT_KEEP = "keep\n";

    private static final int FILL_SIZE = 4 * 1024 * 1024;

    private final OciLayout layout;
    private final TestImage busybox;
    private final TestImage layers5;
    private final TestImage whiteout;

    private TestImages(OciLayout layout, TestImage busybox, TestImage layers5, TestImage whiteout) {
        this.layout = layout;
        this.busybox = busybox;
        this.layers5 = layers5;
        this.whiteout = whiteout;
    }

    /** Writes the three images as an OCI image layout in {@code dir} (about 64 MB). */
    public static TestImages build(Path dir) throws IOException {
        OciLayout layout = OciLayout.create(dir);
        Layer base = layout.addLayer(BusyboxImage::layer);
        TestImage busybox = image(layout, "busybox", List.of(base));

        List<Layer> five = new ArrayList<>(List.of(base));
        for (int i = 1; i <= 5; i++) {
            int n = i;
            five.add(layout.addLayer(tar -> numberedLayer(tar, n)));
        }
        TestImage layers5 = image(layout, "layers5", five);

        Layer data = layout.addLayer(TestImages::whiteoutBase);
        Layer upper = layout.addLayer(TestImages::whiteoutUpper);
        TestImage whiteout = image(layout, "whiteout", List.of(base, data, upper));
        return new TestImages(layout, busybox, layers5, whiteout);
    }

    public TestImage busybox() {
        return busybox;
    }

    public TestImage layers5() {
        return layers5;
    }

    public TestImage whiteout() {
        return whiteout;
    }

    public List<TestImage> all() {
        return List.of(busybox, layers5, whiteout);
    }

    /** The OCI image layout holding all three (e.g. for {@code skopeo copy oci:DIR:busybox:latest}). */
    public Path layoutDir() {
        return layout.dir();
    }

    /** Pushes every image as {@code <registry>/<name>:latest}. */
    public void pushTo(LocalRegistry registry) throws IOException {
        for (TestImage image : all()) {
            registry.push(image.name(), image.tag(), layout, image.image());
        }
    }

    private static TestImage image(OciLayout layout, String name, List<Layer> layers) throws IOException {
        OciLayout.Image image = layout.addImage(OciLayout.goArch(), layers);
        layout.tag(image, OciLayout.goArch(), Map.of(OciLayout.REF_NAME, name + ":latest"));
        return new TestImage(name, image);
    }

    private static void numberedLayer(TarWriter tar, int n) throws IOException {
        if (n == 3) {
            tar.file(BIG_FILE.substring(1), 0644, BIG_FILE_SIZE, randomBytes(n));
        }
        tar.directory("layers", 0755);
        tar.file("layers/" + n, 0644, text(n + "\n"));
        if (n == 1 || n == 2 || n == 4) {
            tar.file("layers/fill-" + n, 0644, FILL_SIZE, randomBytes(n));
        }
        tar.file("layers/top", 0644, text(n + "\n"));
    }

    private static void whiteoutBase(TarWriter tar) throws IOException {
        tar.directory("data", 0755);
        for (String f : List.of("a", "b", "c")) {
            tar.file("data/" + f, 0644, text(f + "\n"));
        }
        tar.directory("data/dir", 0755);
        tar.file("data/dir/x", 0644, text("x\n"));
        tar.file("data/dir/y", 0644, text("y\n"));
        tar.file("keep", 0644, text(WHITEOUT_KEEP));
    }

    /** image-spec {@code layer.md}: {@code .wh.<name>} deletes a lower entry, {@code .wh..wh..opq} hides a dir's. */
    private static void whiteoutUpper(TarWriter tar) throws IOException {
        tar.directory("data", 0755);
        tar.file("data/.wh.b", 0644, new byte[0]);
        tar.file("data/d", 0644, text("d\n"));
        tar.directory("data/dir", 0755);
        tar.file("data/dir/.wh..wh..opq", 0644, new byte[0]);
        tar.file("data/dir/z", 0644, text("z\n"));
    }

    /**
     * Endless pseudo-random bytes from a fixed seed, generated in fixed 64 KiB chunks: java.util.Random's generator
     * is specified, so the bytes, and the layer digests, are the same on every JDK and for any read sizes.
     */
    private static InputStream randomBytes(long seed) {
        Random random = new Random(seed);
        byte[] chunk = new byte[64 * 1024];
        return new InputStream() {
            private int pos = chunk.length;

            @Override
            public int read() {
                refill();
                return chunk[pos++] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                refill();
                int n = Math.min(len, chunk.length - pos);
                System.arraycopy(chunk, pos, b, off, n);
                pos += n;
                return n;
            }

            private void refill() {
                if (pos == chunk.length) {
                    random.nextBytes(chunk);
                    pos = 0;
                }
            }
        };
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
