package dev.berth.manager.build;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

class LocalArchiveTest {
    @TempDir
    Path dir;

    /** A one-file tar made by the system's tar, so the header is a real one. */
    private byte[] tar() throws IOException, InterruptedException {
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.writeString(src.resolve("hello.txt"), "hello\n");
        Path out = dir.resolve("made.tar");
        Process p = new ProcessBuilder("tar", "-C", src.toString(), "-cf", out.toString(), "hello.txt")
                .inheritIO().start();
        assertTrue(p.waitFor() == 0, "tar");
        return Files.readAllBytes(out);
    }

    private interface Compressor {
        OutputStream wrap(OutputStream out) throws IOException;
    }

    private Path file(String name, byte[] data, Compressor compressor) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = compressor.wrap(bytes)) {
            out.write(data);
        }
        Path f = dir.resolve(name);
        Files.write(f, bytes.toByteArray());
        return f;
    }

    @Test
    void open_findsTarsByContentWhateverTheirCompressionOrName() throws Exception {
        byte[] tar = tar();
        Compressor[] all = {
            out -> out, GZIPOutputStream::new, BZip2CompressorOutputStream::new,
            out -> new XZOutputStream(out, new LZMA2Options()), ZstdOutputStream::new};
        for (int i = 0; i < all.length; i++) {
            Path f = file("archive-" + i + ".bin", tar, all[i]);
            Optional<InputStream> in = LocalArchive.open(f);
            assertTrue(in.isPresent(), f + " is an archive");
            try (InputStream stream = in.get()) {
                assertArrayEquals(tar, stream.readAllBytes(), f.toString());
            }
        }
    }

    @Test
    void open_leavesCompressedFilesThatAreNotTarsAndPlainFiles() throws Exception {
        byte[] text = "just some text, longer than nothing\n".repeat(40).getBytes(StandardCharsets.UTF_8);
        Compressor[] all = {
            out -> out, GZIPOutputStream::new, BZip2CompressorOutputStream::new,
            out -> new XZOutputStream(out, new LZMA2Options()), ZstdOutputStream::new};
        for (int i = 0; i < all.length; i++) {
            Path f = file("text-" + i + ".tar.gz", text, all[i]);
            assertFalse(LocalArchive.open(f).isPresent(), f + " is not an archive");
        }
        // a gzip magic followed by no gzip data
        Path broken = dir.resolve("broken.gz");
        Files.write(broken, new byte[] {0x1f, (byte) 0x8b, 0x08, 1, 2, 3});
        assertFalse(LocalArchive.open(broken).isPresent());
        assertFalse(LocalArchive.open(dir).isPresent(), "a directory");
    }

    @Test
    void isTarHeader_checksTheChecksum() throws Exception {
        byte[] header = java.util.Arrays.copyOf(tar(), 512);
        assertTrue(LocalArchive.isTarHeader(header));
        header[0] ^= 1;
        assertFalse(LocalArchive.isTarHeader(header));
        assertFalse(LocalArchive.isTarHeader(new byte[512]));
    }
}
