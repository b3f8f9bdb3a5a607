package dev.berth.manager.diff;

import dev.berth.api.errdefs.BerthException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a tar stream entry by entry: POSIX ustar (with its name prefix), GNU long names ({@code L}, {@code K})
 * and PAX extended headers ({@code x}: path, linkpath, size, uid, gid, mtime, {@code SCHILY.xattr.*}); PAX global
 * headers ({@code g}) are read and ignored. Malformed input is INVALID_ARGUMENT. Between {@link #next()} calls, the
 * current entry's data can be read from {@link #content()}; what is not read is skipped.
 */
public final class TarReader {
    private static final int BLOCK = 512;

    private final InputStream in;
    private final byte[] header = new byte[BLOCK];
    private long remaining;
    private long padding;
    private boolean ended;

    public TarReader(InputStream in) {
        this.in = in;
    }

    /** The next entry, or empty at the end of the archive. */
    public Optional<TarEntry> next() throws IOException {
        skipRest();
        String longName = null;
        String longLink = null;
        Map<String, byte[]> pax = new HashMap<>();
        while (!ended) {
            if (!readHeader()) {
                ended = true;
                return Optional.empty();
            }
            char flag = (char) header[156];
            long size = number(124, 12, "size");
            switch (flag) {
                case 'L' -> longName = cString(readData(size, "GNU long name"), 0, (int) size);
                case 'K' -> longLink = cString(readData(size, "GNU long link name"), 0, (int) size);
                case 'x' -> parsePax(readData(size, "PAX header"), pax);
                case 'g' -> readData(size, "PAX global header");
                default -> {
                    return Optional.of(entry(flag, size, longName, longLink, pax));
                }
            }
        }
        return Optional.empty();
    }

    /** The current entry's data (regular files), ending where the entry ends. */
    public InputStream content() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                if (remaining == 0) {
                    return -1;
                }
                int n = in.read(buf, off, (int) Math.min(len, remaining));
                if (n < 0) {
                    throw truncated();
                }
                remaining -= n;
                return n;
            }
        };
    }

    private TarEntry entry(char flag, long size, String longName, String longLink, Map<String, byte[]> pax)
            throws IOException {
        TarEntry.Type type = switch (flag) {
            case '0', '\0', '7' -> TarEntry.Type.REGULAR;
            case '1' -> TarEntry.Type.HARD_LINK;
            case '2' -> TarEntry.Type.SYMLINK;
            case '3' -> TarEntry.Type.CHAR_DEVICE;
            case '4' -> TarEntry.Type.BLOCK_DEVICE;
            case '5' -> TarEntry.Type.DIRECTORY;
            case '6' -> TarEntry.Type.FIFO;
            default -> throw BerthException.invalidArgument("read tar entry " + headerName()
                    + ": unsupported type '" + printable(flag) + "'");
        };
        String name = longName != null ? longName : headerName();
        String link = longLink != null ? longLink : cString(header, 157, 100);
        int uid = (int) number(108, 8, "uid");
        int gid = (int) number(116, 8, "gid");
        Instant mtime = Instant.ofEpochSecond(number(136, 12, "mtime"));
        Map<String, byte[]> xattrs = new HashMap<>();
        for (var e : pax.entrySet()) {
            String value = new String(e.getValue(), StandardCharsets.UTF_8);
            switch (e.getKey()) {
                case "path" -> name = value;
                case "linkpath" -> link = value;
                case "size" -> size = paxNumber(e.getKey(), value);
                case "uid" -> uid = (int) paxNumber(e.getKey(), value);
                case "gid" -> gid = (int) paxNumber(e.getKey(), value);
                case "mtime" -> mtime = paxTime(value);
                default -> {
                    if (e.getKey().startsWith("SCHILY.xattr.")) {
                        xattrs.put(e.getKey().substring("SCHILY.xattr.".length()), e.getValue());
                    }
                }
            }
        }
        if (size < 0) {
            throw BerthException.invalidArgument("read tar entry " + name + ": negative size");
        }
        // as Go's archive/tar: only regular files carry data, whatever the size field of the others says
        long dataSize = type == TarEntry.Type.REGULAR ? size : 0;
        remaining = dataSize;
        padding = (BLOCK - dataSize % BLOCK) % BLOCK;
        boolean device = type == TarEntry.Type.CHAR_DEVICE || type == TarEntry.Type.BLOCK_DEVICE;
        return new TarEntry(name, type, (int) (number(100, 8, "mode") & 07777), uid, gid, dataSize, mtime,
                type == TarEntry.Type.SYMLINK || type == TarEntry.Type.HARD_LINK ? link : "",
                device ? number(329, 8, "devmajor") : 0, device ? number(337, 8, "devminor") : 0, xattrs);
    }

    /** Reads one header block; false at the end of the archive (two zero blocks, or end of input). */
    private boolean readHeader() throws IOException {
        int n = in.readNBytes(header, 0, BLOCK);
        if (n == 0) {
            return false; // tolerated: archives cut after the last entry
        }
        if (n < BLOCK) {
            throw truncated();
        }
        if (isZero(header)) {
            in.readNBytes(header, 0, BLOCK);
            return false;
        }
        long expected = number(148, 8, "checksum");
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            int b = (i >= 148 && i < 156) ? ' ' : header[i];
            unsigned += b & 0xff;
            signed += b;
        }
        if (expected != unsigned && expected != signed) {
            throw BerthException.invalidArgument("read tar header " + cString(header, 0, 100)
                    + ": checksum mismatch");
        }
        return true;
    }

    private byte[] readData(long size, String what) throws IOException {
        if (size > 1 << 20) {
            throw BerthException.invalidArgument("read tar " + what + ": " + size + " bytes is too large");
        }
        byte[] data = in.readNBytes((int) size);
        if (data.length < size) {
            throw truncated();
        }
        long pad = (BLOCK - size % BLOCK) % BLOCK;
        skip(pad);
        return data;
    }

    private void skipRest() throws IOException {
        long n = remaining + padding;
        remaining = 0;
        padding = 0;
        skip(n);
    }

    /** Reads and drops {@code n} bytes (reading, not seeking, so that a hashing stream below sees them). */
    private void skip(long n) throws IOException {
        byte[] scratch = n > 0 ? new byte[(int) Math.min(n, 65536)] : header;
        while (n > 0) {
            int r = in.read(scratch, 0, (int) Math.min(n, scratch.length));
            if (r < 0) {
                throw truncated();
            }
            n -= r;
        }
    }

    /** {@code key=value} records, each {@code "<length> <key>=<value>\n"}; values are bytes (xattrs are binary). */
    private static void parsePax(byte[] data, Map<String, byte[]> into) {
        int pos = 0;
        while (pos < data.length) {
            int space = pos;
            while (space < data.length && data[space] != ' ') {
                space++;
            }
            int length;
            try {
                length = Integer.parseInt(new String(data, pos, space - pos, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw BerthException.invalidArgument("read tar PAX header: bad record length");
            }
            int end = pos + length;
            if (length <= 0 || end > data.length || data[end - 1] != '\n') {
                throw BerthException.invalidArgument("read tar PAX header: bad record");
            }
            int eq = space + 1;
            while (eq < end && data[eq] != '=') {
                eq++;
            }
            if (eq >= end) {
                throw BerthException.invalidArgument("read tar PAX header: record without '='");
            }
            String key = new String(data, space + 1, eq - space - 1, StandardCharsets.UTF_8);
            byte[] value = java.util.Arrays.copyOfRange(data, eq + 1, end - 1);
            into.put(key, value);
            pos = end;
        }
    }

    private String headerName() {
        String name = cString(header, 0, 100);
        boolean posix = header[257] == 'u' && header[262] == 0; // "ustar\0"; GNU's "ustar " has no prefix
        String prefix = posix ? cString(header, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    /** An octal field, or base-256 when its first byte has the high bit set (GNU, for large values). */
    private long number(int off, int len, String field) {
        if ((header[off] & 0x80) != 0) {
            long v = header[off] & 0x3f;
            if ((header[off] & 0x40) != 0) {
                throw BerthException.invalidArgument("read tar header: negative " + field);
            }
            for (int i = 1; i < len; i++) {
                v = (v << 8) | (header[off + i] & 0xff);
            }
            return v;
        }
        long v = 0;
        int i = off;
        int end = off + len;
        while (i < end && (header[i] == ' ' || header[i] == 0)) {
            i++;
        }
        for (; i < end && header[i] != 0 && header[i] != ' '; i++) {
            int d = header[i] - '0';
            if (d < 0 || d > 7) {
                throw BerthException.invalidArgument("read tar header " + cString(header, 0, 100) + ": bad "
                        + field + " field");
            }
            v = v * 8 + d;
        }
        return v;
    }

    private static long paxNumber(String key, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw BerthException.invalidArgument("read tar PAX header: bad " + key + " " + value);
        }
    }

    private static Instant paxTime(String value) {
        try {
            BigDecimal t = new BigDecimal(value);
            long seconds = t.setScale(0, java.math.RoundingMode.FLOOR).longValueExact();
            long nanos = t.subtract(BigDecimal.valueOf(seconds)).movePointRight(9).setScale(0,
                    java.math.RoundingMode.DOWN).longValue();
            return Instant.ofEpochSecond(seconds, nanos);
        } catch (NumberFormatException | ArithmeticException e) {
            throw BerthException.invalidArgument("read tar PAX header: bad mtime " + value);
        }
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static String printable(char c) {
        return c >= 32 && c < 127 ? String.valueOf(c) : String.format("\\x%02x", (int) c);
    }

    private static BerthException truncated() {
        return BerthException.invalidArgument("read tar: unexpected end of archive");
    }
}
