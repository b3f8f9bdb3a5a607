package dev.berth.cli.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a tar stream (ustar, with PAX {@code path}/{@code linkpath} records and GNU long names): {@link #next()}
 * the header, then {@link #content()} its bytes before the next call.
 */
public final class TarReader {
    private static final int BLOCK = 512;

    private final InputStream in;
    private long remaining;
    private long padding;

    public TarReader(InputStream in) {
        this.in = in;
    }

    public Optional<TarEntry> next() throws IOException {
        skip(remaining + padding);
        remaining = 0;
        padding = 0;
        Map<String, String> pax = new HashMap<>();
        String longName = null;
        String longLink = null;
        while (true) {
            byte[] h = in.readNBytes(BLOCK);
            if (h.length < BLOCK || isZero(h)) {
                return Optional.empty();
            }
            char type = (char) h[156];
            long size = octal(h, 124, 12);
            if (type == 'x' || type == 'L' || type == 'K') {
                byte[] data = in.readNBytes((int) size);
                skip(pad(size));
                if (type == 'x') {
                    pax.putAll(pax(data));
                } else if (type == 'L') {
                    longName = cString(data, 0, data.length);
                } else {
                    longLink = cString(data, 0, data.length);
                }
                continue;
            }
            String name = cString(h, 0, 100);
            String prefix = cString(h, 345, 155);
            if (!prefix.isEmpty()) {
                name = prefix + "/" + name;
            }
            name = pax.getOrDefault("path", longName != null ? longName : name);
            String link = pax.getOrDefault("linkpath", longLink != null ? longLink : cString(h, 157, 100));
            if (pax.containsKey("size")) {
                size = Long.parseLong(pax.get("size"));
            }
            TarEntry.Kind kind = switch (type) {
                case '0', '\0', '7' -> TarEntry.Kind.FILE;
                case '5' -> TarEntry.Kind.DIRECTORY;
                case '2' -> TarEntry.Kind.SYMLINK;
                case '1' -> TarEntry.Kind.HARDLINK;
                default -> TarEntry.Kind.OTHER;
            };
            if (kind != TarEntry.Kind.FILE && kind != TarEntry.Kind.OTHER) {
                size = 0;
            }
            remaining = size;
            padding = pad(size);
            return Optional.of(new TarEntry(name, kind, (int) octal(h, 100, 8), size, octal(h, 136, 12), link));
        }
    }

    /** The current entry's bytes (read them before {@link #next()}). */
    public InputStream content() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (remaining == 0) {
                    return -1;
                }
                int n = in.read(b, off, (int) Math.min(len, remaining));
                if (n < 0) {
                    throw new IOException("tar: unexpected end of the archive");
                }
                remaining -= n;
                return n;
            }
        };
    }

    private void skip(long n) throws IOException {
        in.skipNBytes(n);
    }

    private static long pad(long size) {
        return (BLOCK - size % BLOCK) % BLOCK;
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] b, int off, int len) {
        if ((b[off] & 0x80) != 0) {
            // base-256 (GNU) for large values
            long v = b[off] & 0x7f;
            for (int i = 1; i < len; i++) {
                v = (v << 8) | (b[off + i] & 0xff);
            }
            return v;
        }
        String s = cString(b, off, len).strip();
        return s.isEmpty() ? 0 : Long.parseLong(s, 8);
    }

    /** PAX records: {@code "<len> <key>=<value>\n"}. */
    private static Map<String, String> pax(byte[] data) {
        Map<String, String> out = new HashMap<>();
        int at = 0;
        while (at < data.length) {
            int space = at;
            while (space < data.length && data[space] != ' ') {
                space++;
            }
            if (space >= data.length) {
                break;
            }
            int len = Integer.parseInt(new String(data, at, space - at, StandardCharsets.US_ASCII));
            String record = new String(data, space + 1, len - (space - at) - 2, StandardCharsets.UTF_8);
            int eq = record.indexOf('=');
            if (eq > 0) {
                out.put(record.substring(0, eq), record.substring(eq + 1));
            }
            at += len;
        }
        return out;
    }
}
