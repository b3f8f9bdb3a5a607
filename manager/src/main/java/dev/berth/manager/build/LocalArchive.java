package dev.berth.manager.build;

import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * ADD's local archives, found as docker's {@code isArchivePath} finds them: by content, not by name. The file's
 * first bytes name its compression (gzip, bzip2, xz, zstd, or none); decompressed, it is an archive when it starts
 * with a valid tar header (one whose checksum holds, as Go's {@code archive/tar} reads it). Anything else, a
 * compressed file that is not a tar included, is copied as it is.
 */
final class LocalArchive {
    private static final int BUFFER = 1 << 16;
    private static final int BLOCK = 512;

    private LocalArchive() {
    }

    /** The tar stream of {@code file} (decompressed) when it is a local archive; empty otherwise. */
    static Optional<InputStream> open(Path file) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try (InputStream probe = decompressed(file)) {
            if (!isTarHeader(probe.readNBytes(BLOCK))) {
                return Optional.empty();
            }
        } catch (IOException notCompressedData) {
            return Optional.empty(); // its magic named a compression its data does not follow: a plain file
        }
        return Optional.of(decompressed(file));
    }

    private static InputStream decompressed(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), BUFFER);
        try {
            raw.mark(8);
            byte[] magic = raw.readNBytes(6);
            raw.reset();
            if (starts(magic, 0x1f, 0x8b, 0x08)) {
                return new GZIPInputStream(raw, BUFFER);
            } else if (starts(magic, 'B', 'Z', 'h')) {
                return new BZip2CompressorInputStream(raw, true);
            } else if (starts(magic, 0xfd, '7', 'z', 'X', 'Z', 0x00)) {
                return new XZInputStream(raw);
            } else if (starts(magic, 0x28, 0xb5, 0x2f, 0xfd)) {
                return new ZstdInputStream(raw);
            }
            return raw;
        } catch (IOException e) {
            raw.close();
            throw e;
        }
    }

    private static boolean starts(byte[] data, int... magic) {
        if (data.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((data[i] & 0xff) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code block} is a tar header: 512 bytes whose checksum field (octal, at 148) is the sum of its bytes
     * with that field read as spaces, unsigned or signed (old tars summed signed bytes).
     */
    static boolean isTarHeader(byte[] block) {
        if (block.length < BLOCK) {
            return false;
        }
        String field = new String(block, 148, 8, StandardCharsets.US_ASCII).replaceAll("^[ \\x00]+|[ \\x00]+$", "");
        if (field.isEmpty() || !field.matches("[0-7]+")) {
            return false;
        }
        long expected = Long.parseLong(field, 8);
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            int b = i >= 148 && i < 156 ? ' ' : block[i];
            unsigned += b & 0xff;
            signed += (byte) b;
        }
        return expected == unsigned || expected == signed;
    }
}
