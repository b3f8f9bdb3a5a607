package dev.berth.manager.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.sys.LinuxSyscalls;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Measures (and prints; asserts no timing) how fast a 64 MB gzip layer is applied: many small files, one big. */
class LayerApplyThroughputTest {
    private static final int SMALL_FILES = 4096;
    private static final int SMALL_SIZE = 8 * 1024;
    private static final int BIG_SIZE = 32 * 1024 * 1024;

    @TempDir
    Path temp;

    @Test
    void apply_64MiBGzipLayer_printsThroughput() throws IOException {
        SplittableRandom random = new SplittableRandom(42);
        byte[] small = new byte[SMALL_SIZE];
        byte[] big = new byte[BIG_SIZE];
        fill(random, big);
        ByteArrayOutputStream blob = new ByteArrayOutputStream(70 << 20);
        // random bytes do not compress: the gzip layer is about as large as its tar
        try (GZIPOutputStream gz = new GZIPOutputStream(blob, 1 << 16) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        }) {
            TarWriter tar = new TarWriter(gz);
            for (int d = 0; d < 64; d++) {
                tar.write(TarEntry.directory("usr/share/d" + d + "/", 0755, TestLayers.T), null);
                for (int f = 0; f < SMALL_FILES / 64; f++) {
                    fill(random, small);
                    tar.write(TarEntry.file("usr/share/d" + d + "/f" + f, 0644, small.length, TestLayers.T),
                            new ByteArrayInputStream(small));
                }
            }
            tar.write(TarEntry.file("opt/big.bin", 0644, big.length, TestLayers.T), new ByteArrayInputStream(big));
            tar.finish();
        }
        byte[] layer = blob.toByteArray();
        LinuxSyscalls sys = LinuxSyscalls.loadBuilt();
        LayerApplier applier = new LayerApplier(sys, new SyscallMounter(sys), temp.resolve("scratch"));
        for (int run = 1; run <= 2; run++) {
            Path root = Files.createDirectory(temp.resolve("root" + run));
            long start = System.nanoTime();
            AppliedLayer applied;
            try (InputStream in = new ByteArrayInputStream(layer)) {
                applied = applier.apply(in, Compression.GZIP.mediaType(), root, ApplyOptions.mergedView());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals(layer.length, applied.size());
            assertEquals(BIG_SIZE, Files.size(root.resolve("opt/big.bin")));
            System.out.printf("layer apply throughput (run %d): %.1f MB gzip (%.1f MB tar, %d files) in %.2f s = "
                            + "%.0f MB/s compressed, %.0f MB/s uncompressed%n", run, applied.size() / 1e6,
                    applied.uncompressedSize() / 1e6, SMALL_FILES + 1, seconds, applied.size() / 1e6 / seconds,
                    applied.uncompressedSize() / 1e6 / seconds);
        }
    }

    private static void fill(SplittableRandom random, byte[] b) {
        for (int i = 0; i < b.length; i += 8) {
            long v = random.nextLong();
            for (int j = 0; j < 8 && i + j < b.length; j++) {
                b[i + j] = (byte) (v >>> (8 * j));
            }
        }
    }
}
