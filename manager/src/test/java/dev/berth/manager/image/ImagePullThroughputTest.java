package dev.berth.manager.image;

import static dev.berth.manager.image.PullFixture.NS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.manager.image.RegistryTestImages.Image;
import dev.berth.manager.image.RegistryTestImages.Kind;
import dev.berth.manager.image.RegistryTestImages.Layer;
import dev.berth.manager.image.oci.Platform;
import dev.berth.manager.image.pull.ImagePuller;
import dev.berth.manager.image.pull.PullOptions;
import dev.berth.manager.image.pull.PullProgress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures pull + unpack of a ~64 MB, five-layer gzip image from the in-memory registry (so: verify, store, gunzip,
 * untar into overlay upperdirs, no network), with the layers applied in parallel (one per core) and one at a time,
 * and for comparison the download alone. Prints MB/s of compressed bytes.
 */
class ImagePullThroughputTest {

    private static final int LAYERS = 5;
    private static final int FILES_PER_LAYER = 64;
    private static final int FILE_SIZE = 200 * 1024;

    @TempDir
    Path temp;

    @Test
    void pullAndUnpack_64MiBFiveLayers() throws IOException {
        FakeRegistry registry = new FakeRegistry("bench.test");
        Random random = new Random(42);
        List<Layer> layers = new ArrayList<>();
        for (int l = 0; l < LAYERS; l++) {
            Map<String, byte[]> files = new LinkedHashMap<>();
            for (int f = 0; f < FILES_PER_LAYER; f++) {
                byte[] b = new byte[FILE_SIZE];
                random.nextBytes(b);
                files.put("l" + l + "/f" + f, b);
            }
            layers.add(RegistryTestImages.layer(Kind.GZIP, files));
        }
        Image img = RegistryTestImages.publish(registry, "bench", "1", Platform.LINUX_AMD64, layers);
        long bytes = layers.stream().mapToLong(l -> l.blob().length).sum();

        java.util.concurrent.ExecutorService applies =
                java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
        int cores = Runtime.getRuntime().availableProcessors();
        for (String mode : List.of("warm-up", "pull+unpack in parallel", "pull+unpack one at a time",
                "pull+unpack in parallel", "pull+unpack one at a time", "download only")) {
            Path dir = Files.createDirectories(temp.resolve(mode.replace(' ', '-') + System.nanoTime()));
            try (PullFixture fx = new PullFixture(dir)) {
                Unpacker unpacker = mode.endsWith("one at a time") ? new Unpacker(fx.applier)
                        : new Unpacker(fx.applier, applies, cores);
                ImagePuller puller = new ImagePuller((ref, credentials) -> registry, fx.db, unpacker, fx.pool);
                PullOptions options = PullOptions.defaults().withUnpack(!mode.equals("download only"));
                java.util.Set<Object> committed = java.util.concurrent.ConcurrentHashMap.newKeySet();
                java.util.concurrent.atomic.AtomicInteger streamed = new java.util.concurrent.atomic.AtomicInteger();
                PullProgress progress = new PullProgress() {
                    @Override
                    public void done(dev.berth.manager.content.Descriptor blob) {
                        committed.add(blob.digest());
                    }

                    @Override
                    public void extracting(dev.berth.manager.content.Descriptor layer) {
                        if (!committed.contains(layer.digest())) {
                            streamed.incrementAndGet(); // applied while still downloading
                        }
                    }
                };
                long start = System.nanoTime();
                puller.pull(NS, "bench.test/bench:1", options, progress);
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("image pull %s: %.1f MB in %d layers (%d unpacked while downloading), %.3f s, "
                        + "%.0f MB/s%n", mode, bytes / 1e6, LAYERS, streamed.get(), seconds, bytes / 1e6 / seconds);
                if (options.unpack()) {
                    assertEquals(FILE_SIZE, (long) fx.inView(img.chainIds().getLast(), root -> {
                        try {
                            return Files.size(root.resolve("l4/f63"));
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }));
                }
            }
        }
        applies.shutdownNow();
    }
}
