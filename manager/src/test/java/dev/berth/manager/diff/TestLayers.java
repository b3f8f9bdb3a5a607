package dev.berth.manager.diff;

import dev.berth.manager.fs.FileStat;
import dev.berth.manager.fs.FileType;
import dev.berth.sys.FileSyscalls;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Builds layer tars for tests and describes trees for exact comparison. */
final class TestLayers {
    static final Instant T = Instant.ofEpochSecond(1_700_000_000L);

    interface Body {
        void write(Builder b) throws IOException;
    }

    /** Appends entries to a tar. */
    static final class Builder {
        final TarWriter tar;

        Builder(OutputStream out) {
            this.tar = new TarWriter(out);
        }

        Builder dir(String name) throws IOException {
            tar.write(TarEntry.directory(name, 0755, T), null);
            return this;
        }

        Builder file(String name, String content) throws IOException {
            byte[] b = content.getBytes(StandardCharsets.UTF_8);
            tar.write(TarEntry.file(name, 0644, b.length, T), new ByteArrayInputStream(b));
            return this;
        }

        Builder entry(TarEntry e, byte[] content) throws IOException {
            tar.write(e, new ByteArrayInputStream(content));
            return this;
        }

        Builder symlink(String name, String target) throws IOException {
            tar.write(TarEntry.symlink(name, target, T), null);
            return this;
        }

        Builder hardLink(String name, String target) throws IOException {
            tar.write(TarEntry.hardLink(name, target, T), null);
            return this;
        }

        Builder whiteout(String dir, String name) throws IOException {
            return file(dir + ".wh." + name, "");
        }

        Builder opaque(String dir) throws IOException {
            return file(dir + ".wh..wh..opq", "");
        }
    }

    static byte[] tar(Body body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Builder b = new Builder(out);
        body.write(b);
        b.tar.finish();
        return out.toByteArray();
    }

    static byte[] compress(byte[] tar, Compression c) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream z = c.compress(out)) {
            z.write(tar);
        }
        return out.toByteArray();
    }

    static String sha256(byte[] b) {
        return "sha256:" + HexFormat.of().formatHex(HashingInputStream.newSha256().digest(b));
    }

    /** The entry names of a layer blob. */
    static List<String> names(byte[] blob, Compression c) throws IOException {
        TarReader r = new TarReader(c.decompress(new ByteArrayInputStream(blob)));
        List<String> names = new java.util.ArrayList<>();
        for (var e = r.next(); e.isPresent(); e = r.next()) {
            names.add(e.get().name());
        }
        return names;
    }

    /**
     * Every path under {@code root} (root excluded) → type, mode, owner, mtime (seconds), size, content hash,
     * link target, device number and xattrs: two trees are equal when these maps are.
     */
    static Map<String, String> describe(Path root, FileSyscalls sys) throws IOException {
        Map<String, String> out = new TreeMap<>();
        describe(root, "", sys, out);
        return out;
    }

    private static void describe(Path dir, String prefix, FileSyscalls sys, Map<String, String> out)
            throws IOException {
        for (Path child : ChangeWriter.sortedChildren(dir)) {
            String name = prefix + child.getFileName();
            FileStat st = FileStat.lstat(child);
            StringBuilder d = new StringBuilder().append(st.type()).append(' ')
                    .append(Integer.toOctalString(st.mode())).append(' ').append(st.uid()).append(':')
                    .append(st.gid());
            if (st.type() != FileType.DIRECTORY) {
                d.append(" mtime=").append(st.mtime().getEpochSecond()).append(" nlink=").append(st.nlink());
            }
            switch (st.type()) {
                case REGULAR -> d.append(" size=").append(st.size()).append(' ')
                        .append(sha256(Files.readAllBytes(child)), 0, 20);
                case SYMLINK -> d.append(" -> ").append(Files.readSymbolicLink(child));
                case CHAR_DEVICE, BLOCK_DEVICE -> d.append(' ').append(st.major()).append(':').append(st.minor());
                default -> {
                }
            }
            List<String> xattrs = sys.llistxattr(child.toString()).stream().sorted()
                    .filter(x -> !x.startsWith("trusted.overlay.")).toList();
            for (String x : xattrs) {
                d.append(' ').append(x).append('=')
                        .append(HexFormat.of().formatHex(sys.lgetxattr(child.toString(), x).orElseThrow()));
            }
            out.put(name, d.toString());
            if (st.type() == FileType.DIRECTORY) {
                describe(child, name + "/", sys, out);
            }
        }
    }
}
