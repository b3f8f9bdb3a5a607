package dev.berth.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The tests' ustar writer (the JDK has no tar): directories, regular files (from memory or streamed) and symlinks;
 * names up to 100 bytes. Every entry is owned by root (0:0) with a fixed mtime, so the same
 * entries give the same bytes, and so the same digests, on every run.
 */
public final class TarWriter implements AutoCloseable {
    private static final int BLOCK = 512;
    /** 2024-01-01T00:00:00Z: fixed, and not 0, which some tools read as "no time". */
    private static final long MTIME = 1_704_067_200L;

    private final OutputStream out;

    public TarWriter(OutputStream out) {
        this.out = out;
    }

    /** A directory; {@code name} with or without its trailing slash. */
    public void directory(String name, int mode) throws IOException {
        header(name.endsWith("/") ? name : name + "/", mode, 0, '5', "");
    }

    public void file(String name, int mode, byte[] content) throws IOException {
        header(name, mode, content.length, '0', "");
        out.write(content);
        pad(content.length);
    }

    /** A regular file of exactly {@code size} bytes read from {@code content}: large files never sit in memory. */
    public void file(String name, int mode, long size, InputStream content) throws IOException {
        header(name, mode, size, '0', "");
        byte[] buf = new byte[64 * 1024];
        long left = size;
        while (left > 0) {
            int n = content.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new IOException("tar entry " + name + ": content ended " + left + " bytes early");
            }
            out.write(buf, 0, n);
            left -= n;
        }
        pad(size);
    }

    public void symlink(String name, String target) throws IOException {
        header(name, 0777, 0, '2', target);
    }

    private void header(String name, int mode, long size, char type, String linkName) throws IOException {
        byte[] h = new byte[BLOCK];
        put(h, 0, 100, name);
        put(h, 100, 8, octal(mode, 7));
        put(h, 108, 8, octal(0, 7));
        put(h, 116, 8, octal(0, 7));
        put(h, 124, 12, octal(size, 11));
        put(h, 136, 12, octal(MTIME, 11));
        h[156] = (byte) type;
        put(h, 157, 100, linkName);
        put(h, 257, 6, "ustar");
        put(h, 263, 2, "00");
        put(h, 265, 32, "root");
        put(h, 297, 32, "root");
        // The checksum is computed with its own field set to spaces.
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, 8, octal(sum, 6) + "\0 ");
        out.write(h);
    }

    private static String octal(long v, int digits) {
        String s = Long.toOctalString(v);
        if (s.length() > digits) {
            throw new IllegalArgumentException("tar field overflow: " + v);
        }
        return "0".repeat(digits - s.length()) + s;
    }

    private static void put(byte[] h, int off, int len, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > len) {
            throw new IllegalArgumentException("tar field too long: " + s);
        }
        System.arraycopy(b, 0, h, off, b.length);
    }

    private void pad(long size) throws IOException {
        int rest = (int) (size % BLOCK);
        if (rest != 0) {
            out.write(new byte[BLOCK - rest]);
        }
    }

    /** Writes the two zero blocks that end an archive; the underlying stream stays open. */
    @Override
    public void close() throws IOException {
        out.write(new byte[BLOCK * 2]);
        out.flush();
    }
}
