package dev.berth.manager.diff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TarReaderTest {

    private static List<TarEntry> readAll(byte[] tar, List<String> contents) throws IOException {
        TarReader r = new TarReader(new ByteArrayInputStream(tar));
        List<TarEntry> entries = new ArrayList<>();
        for (Optional<TarEntry> e = r.next(); e.isPresent(); e = r.next()) {
            entries.add(e.get());
            contents.add(new String(r.content().readAllBytes(), StandardCharsets.UTF_8));
        }
        return entries;
    }

    @Test
    void writerThenReader_keepsEveryEntryType() throws IOException {
        String longName = "d/" + "n".repeat(150) + "/file-with-a-long-name";
        byte[] tar = TestLayers.tar(b -> b
                .dir("d/")
                .file("d/f", "hello")
                .entry(new TarEntry("d/exec", TarEntry.Type.REGULAR, 04755, 1000, 2000, 3, Instant.ofEpochSecond(42),
                        "", 0, 0, Map.of("user.k", new byte[] {1, 0, 2}, "security.capability", new byte[] {9})),
                        "abc".getBytes(StandardCharsets.UTF_8))
                .symlink("d/link", "/" + "t".repeat(120))
                .hardLink("d/hard", "d/f")
                .entry(new TarEntry("dev/null", TarEntry.Type.CHAR_DEVICE, 0666, 0, 0, 0, TestLayers.T, "", 1, 3,
                        Map.of()), new byte[0])
                .entry(new TarEntry("dev/sda", TarEntry.Type.BLOCK_DEVICE, 0660, 0, 6, 0, TestLayers.T, "", 8, 0,
                        Map.of()), new byte[0])
                .entry(new TarEntry("fifo", TarEntry.Type.FIFO, 0600, 0, 0, 0, TestLayers.T, "", 0, 0, Map.of()),
                        new byte[0])
                .file(longName, "long")
                .entry(new TarEntry("big-ids", TarEntry.Type.REGULAR, 0644, 100_000_000, 100_000_001, 0,
                        TestLayers.T, "", 0, 0, Map.of()), new byte[0]));
        List<String> contents = new ArrayList<>();
        List<TarEntry> e = readAll(tar, contents);
        assertEquals(10, e.size());
        assertEquals(TarEntry.directory("d/", 0755, TestLayers.T), e.get(0));
        assertEquals("hello", contents.get(1));
        TarEntry exec = e.get(2);
        assertEquals(04755, exec.mode());
        assertEquals(1000, exec.uid());
        assertEquals(2000, exec.gid());
        assertEquals(Instant.ofEpochSecond(42), exec.mtime());
        assertArrayEquals(new byte[] {1, 0, 2}, exec.xattrs().get("user.k"));
        assertArrayEquals(new byte[] {9}, exec.xattrs().get("security.capability"));
        assertEquals("abc", contents.get(2));
        assertEquals("/" + "t".repeat(120), e.get(3).linkName());
        assertEquals(TarEntry.Type.HARD_LINK, e.get(4).type());
        assertEquals("d/f", e.get(4).linkName());
        assertEquals(List.of(1L, 3L), List.of(e.get(5).devMajor(), e.get(5).devMinor()));
        assertEquals(TarEntry.Type.BLOCK_DEVICE, e.get(6).type());
        assertEquals(TarEntry.Type.FIFO, e.get(7).type());
        assertEquals(longName, e.get(8).name());
        assertEquals("long", contents.get(8));
        assertEquals(100_000_000, e.get(9).uid());
        assertEquals(100_000_001, e.get(9).gid());
    }

    /** A raw header block, as other tar writers produce them. */
    private static byte[] header(String name, char type, long size, String magicAndVersion, String prefix) {
        byte[] h = new byte[512];
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(n, 0, h, 0, Math.min(100, n.length));
        put(h, 100, "0000644");
        put(h, 108, "0000000");
        put(h, 116, "0000000");
        put(h, 124, String.format("%011o", size));
        put(h, 136, String.format("%011o", 1_600_000_000L));
        h[156] = (byte) type;
        put(h, 257, magicAndVersion);
        put(h, 345, prefix);
        Arrays.fill(h, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, String.format("%06o", sum));
        h[154] = 0;
        return h;
    }

    private static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, b.length);
    }

    private static void data(ByteArrayOutputStream out, byte[] data) {
        out.writeBytes(data);
        out.writeBytes(new byte[(512 - data.length % 512) % 512]);
    }

    @Test
    void gnuLongNamesAndUstarPrefixAndGlobalHeaders_areRead() throws IOException {
        String longName = "usr/" + "x".repeat(200);
        String longLink = "/opt/" + "y".repeat(200);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] global = "18 comment=hello\n".getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(header("pax_global_header", 'g', global.length, "ustar\u000000", ""));
        data(out, global);
        byte[] ln = (longName + "\0").getBytes(StandardCharsets.UTF_8);
        out.writeBytes(header("././@LongLink", 'L', ln.length, "ustar  \0", ""));
        data(out, ln);
        byte[] ll = (longLink + "\0").getBytes(StandardCharsets.UTF_8);
        out.writeBytes(header("././@LongLink", 'K', ll.length, "ustar  \0", ""));
        data(out, ll);
        out.writeBytes(header("truncated", '2', 0, "ustar  \0", ""));
        out.writeBytes(header("name", '0', 2, "ustar\u000000", "some/prefix"));
        data(out, "hi".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(new byte[1024]);
        List<String> contents = new ArrayList<>();
        List<TarEntry> e = readAll(out.toByteArray(), contents);
        assertEquals(2, e.size());
        assertEquals(longName, e.get(0).name());
        assertEquals(longLink, e.get(0).linkName());
        assertEquals(TarEntry.Type.SYMLINK, e.get(0).type());
        assertEquals("some/prefix/name", e.get(1).name());
        assertEquals("hi", contents.get(1));
    }

    @Test
    void paxMtime_keepsItsFraction() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] pax = "30 mtime=1600000000.123456789\n".getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(header("PaxHeaders/f", 'x', pax.length, "ustar\u000000", ""));
        data(out, pax);
        out.writeBytes(header("f", '0', 0, "ustar\u000000", ""));
        out.writeBytes(new byte[1024]);
        TarEntry e = readAll(out.toByteArray(), new ArrayList<>()).getFirst();
        assertEquals(Instant.ofEpochSecond(1_600_000_000L, 123_456_789), e.mtime());
    }

    @Test
    void badChecksum_isInvalidArgument() throws IOException {
        byte[] tar = TestLayers.tar(b -> b.file("f", "x"));
        tar[0] = 'g';
        BerthException e = assertThrows(BerthException.class, () -> readAll(tar, new ArrayList<>()));
        assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void truncatedData_isInvalidArgument() throws IOException {
        byte[] tar = TestLayers.tar(b -> b.file("f", "x".repeat(2000)));
        byte[] cut = Arrays.copyOf(tar, 1024);
        BerthException e = assertThrows(BerthException.class, () -> readAll(cut, new ArrayList<>()));
        assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
    }

    @Test
    void sparseEntries_areRefused() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header("sparse", 'S', 0, "ustar  \0", ""));
        out.writeBytes(new byte[1024]);
        BerthException e = assertThrows(BerthException.class, () -> readAll(out.toByteArray(), new ArrayList<>()));
        assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
        assertTrue(e.getMessage().contains("sparse"), e.getMessage());
    }
}
