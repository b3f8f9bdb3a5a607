package dev.berth.manager.diff;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a POSIX tar stream: ustar headers, with a PAX extended header before an entry whose name or link does not
 * fit (more than 100 bytes, or not ASCII), whose size or ids overflow their octal fields, or that has extended
 * attributes ({@code SCHILY.xattr.*}, as GNU tar and containerd write them). Times are whole seconds, as in
 * containerd's diffs, so that the same tree gives the same bytes.
 */
public final class TarWriter {
    private static final int BLOCK = 512;
    private static final long MAX_OCTAL_11 = 077777777777L;
    private static final long MAX_OCTAL_7 = 07777777L;

    private final OutputStream out;
    private final byte[] copyBuffer = new byte[1 << 16];

    public TarWriter(OutputStream out) {
        this.out = out;
    }

    /** Writes one entry; {@code content} supplies exactly {@code entry.size()} bytes for a regular file. */
    public void write(TarEntry entry, InputStream content) throws IOException {
        Map<String, byte[]> pax = new TreeMap<>();
        String name = entry.name();
        if (!fitsUstar(name)) {
            pax.put("path", name.getBytes(StandardCharsets.UTF_8));
        }
        if (!fitsUstar(entry.linkName())) {
            pax.put("linkpath", entry.linkName().getBytes(StandardCharsets.UTF_8));
        }
        if (entry.size() > MAX_OCTAL_11) {
            pax.put("size", Long.toString(entry.size()).getBytes(StandardCharsets.US_ASCII));
        }
        if (Integer.toUnsignedLong(entry.uid()) > MAX_OCTAL_7) {
            pax.put("uid", Integer.toUnsignedString(entry.uid()).getBytes(StandardCharsets.US_ASCII));
        }
        if (Integer.toUnsignedLong(entry.gid()) > MAX_OCTAL_7) {
            pax.put("gid", Integer.toUnsignedString(entry.gid()).getBytes(StandardCharsets.US_ASCII));
        }
        entry.xattrs().forEach((k, v) -> pax.put("SCHILY.xattr." + k, v));
        if (!pax.isEmpty()) {
            byte[] records = paxRecords(pax);
            writeHeader(paxName(name), 'x', 0644, 0, 0, records.length, entry.mtime().getEpochSecond(), "", 0, 0);
            out.write(records);
            pad(records.length);
        }
        writeHeader(name, entry.type().flag(), entry.mode(), entry.uid(), entry.gid(), entry.size(),
                entry.mtime().getEpochSecond(), entry.linkName(), entry.devMajor(), entry.devMinor());
        if (entry.type() == TarEntry.Type.REGULAR && entry.size() > 0) {
            long left = entry.size();
            while (left > 0) {
                int n = content.read(copyBuffer, 0, (int) Math.min(copyBuffer.length, left));
                if (n < 0) {
                    throw new IOException("write tar entry " + name + ": content ended " + left + " bytes early");
                }
                out.write(copyBuffer, 0, n);
                left -= n;
            }
            pad(entry.size());
        }
    }

    /** Writes the end-of-archive marker (two zero blocks); the stream stays open. */
    public void finish() throws IOException {
        out.write(new byte[2 * BLOCK]);
        out.flush();
    }

    private void writeHeader(String name, char flag, int mode, int uid, int gid, long size, long mtime, String link,
                             long major, long minor) throws IOException {
        byte[] h = new byte[BLOCK];
        putString(h, 0, 100, name);
        putOctal(h, 100, 8, mode & 07777);
        putOctal(h, 108, 8, Math.min(Integer.toUnsignedLong(uid), MAX_OCTAL_7));
        putOctal(h, 116, 8, Math.min(Integer.toUnsignedLong(gid), MAX_OCTAL_7));
        putOctal(h, 124, 12, Math.min(size, MAX_OCTAL_11));
        putOctal(h, 136, 12, Math.max(0, Math.min(mtime, MAX_OCTAL_11)));
        h[156] = (byte) flag;
        putString(h, 157, 100, link);
        putString(h, 257, 6, "ustar");
        h[263] = '0';
        h[264] = '0';
        putOctal(h, 329, 8, major);
        putOctal(h, 337, 8, minor);
        Arrays.fill(h, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        putOctal(h, 148, 7, sum);
        out.write(h);
    }

    private void pad(long size) throws IOException {
        int pad = (int) ((BLOCK - size % BLOCK) % BLOCK);
        if (pad > 0) {
            out.write(new byte[pad]);
        }
    }

    private static boolean fitsUstar(String s) {
        return s.length() <= 100 && s.chars().allMatch(c -> c > 0 && c < 128);
    }

    /** The name of the PAX header entry, as GNU tar forms it: {@code dir/PaxHeaders/base}, cut to fit. */
    private static String paxName(String name) {
        String n = "PaxHeaders/" + name.replaceAll("[^\\x21-\\x7e]", "_");
        return n.length() > 100 ? n.substring(0, 100) : n;
    }

    /** Each record is {@code "<length> <key>=<value>\n"}, where the length counts its own digits. */
    private static byte[] paxRecords(Map<String, byte[]> records) throws IOException {
        var buf = new java.io.ByteArrayOutputStream();
        for (var e : records.entrySet()) {
            byte[] key = e.getKey().getBytes(StandardCharsets.UTF_8);
            int body = 1 + key.length + 1 + e.getValue().length + 1; // ' ' key '=' value '\n'
            int length = body + Integer.toString(body).length();
            if (Integer.toString(length).length() != Integer.toString(body).length()) {
                length++;
            }
            buf.write(Integer.toString(length).getBytes(StandardCharsets.US_ASCII));
            buf.write(' ');
            buf.write(key);
            buf.write('=');
            buf.write(e.getValue());
            buf.write('\n');
        }
        return buf.toByteArray();
    }

    private static void putString(byte[] h, int off, int len, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, h, off, Math.min(b.length, len));
    }

    /** Zero-padded octal digits, NUL-terminated, in {@code len} bytes. */
    private static void putOctal(byte[] h, int off, int len, long value) {
        String digits = Long.toOctalString(value);
        String padded = "0".repeat(Math.max(0, len - 1 - digits.length())) + digits;
        putString(h, off, len - 1, padded);
        h[off + len - 1] = 0;
    }
}
