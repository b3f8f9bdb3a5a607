package dev.berth.cli.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writes a ustar stream; a name or link target too long for its field goes in a PAX record first. */
public final class TarWriter implements AutoCloseable {
    private static final int BLOCK = 512;

    private final OutputStream out;

    public TarWriter(OutputStream out) {
        this.out = out;
    }

    /** Writes {@code entry}'s header, then {@code content} ({@code entry.size()} bytes; null for no data). */
    public void add(TarEntry entry, InputStream content) throws IOException {
        StringBuilder pax = new StringBuilder();
        if (entry.name().getBytes(StandardCharsets.UTF_8).length > 100) {
            pax.append(record("path", entry.name()));
        }
        if (entry.linkName() != null && entry.linkName().getBytes(StandardCharsets.UTF_8).length > 100) {
            pax.append(record("linkpath", entry.linkName()));
        }
        if (!pax.isEmpty()) {
            byte[] data = pax.toString().getBytes(StandardCharsets.UTF_8);
            header("PaxHeaders/" + shortName(entry.name()), 'x', 0644, data.length, entry.mtime(), "");
            out.write(data);
            pad(data.length);
        }
        char type = switch (entry.kind()) {
            case DIRECTORY -> '5';
            case SYMLINK -> '2';
            case HARDLINK -> '1';
            default -> '0';
        };
        long size = entry.kind() == TarEntry.Kind.FILE ? entry.size() : 0;
        header(entry.name(), type, entry.mode(), size, entry.mtime(), entry.linkName() == null ? ""
                : entry.linkName());
        if (size > 0 && content != null) {
            long copied = content.transferTo(new OutputStream() {
                private long left = size;

                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    int n = (int) Math.min(len, left);
                    out.write(b, off, n);
                    left -= n;
                }
            });
            if (copied < size) {
                throw new IOException("tar: " + entry.name() + " changed while it was archived");
            }
            pad(size);
        }
    }

    private static String shortName(String name) {
        String s = name.length() > 80 ? name.substring(name.length() - 80) : name;
        return s.replaceFirst("^/+", "");
    }

    private static String record(String key, String value) {
        String body = " " + key + "=" + value + "\n";
        int len = body.getBytes(StandardCharsets.UTF_8).length;
        int digits = String.valueOf(len).length();
        int total = len + digits;
        if (String.valueOf(total).length() != digits) {
            total++;
        }
        return total + body;
    }

    private void header(String name, char type, int mode, long size, long mtime, String link) throws IOException {
        byte[] h = new byte[BLOCK];
        put(h, 0, 100, name);
        put(h, 100, 8, octal(mode, 7));
        put(h, 108, 8, octal(0, 7));
        put(h, 116, 8, octal(0, 7));
        put(h, 124, 12, octal(size, 11));
        put(h, 136, 12, octal(mtime, 11));
        java.util.Arrays.fill(h, 148, 156, (byte) ' ');
        h[156] = (byte) type;
        put(h, 157, 100, link);
        put(h, 257, 6, "ustar");
        put(h, 263, 2, "00");
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, 7, octal(sum, 6) + "\0");
        out.write(h);
    }

    private static String octal(long v, int width) {
        String s = Long.toOctalString(v);
        return "0".repeat(Math.max(0, width - s.length())) + s;
    }

    private static void put(byte[] h, int off, int len, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, h, off, Math.min(len, b.length));
    }

    private void pad(long size) throws IOException {
        out.write(new byte[(int) ((BLOCK - size % BLOCK) % BLOCK)]);
    }

    /** The two zero blocks that end an archive; the stream stays open. */
    @Override
    public void close() throws IOException {
        out.write(new byte[BLOCK * 2]);
        out.flush();
    }
}
