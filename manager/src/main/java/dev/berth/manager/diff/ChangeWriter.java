package dev.berth.manager.diff;

import dev.berth.manager.fs.FileStat;
import dev.berth.manager.fs.FileType;
import dev.berth.sys.FileSyscalls;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns filesystem changes into tar entries: added or changed files with their metadata, OCI whiteouts
 * ({@code .wh.<name>}) for deletions and {@code .wh..wh..opq} for opaque directories. Files that share an inode
 * are written once and then as hard links. Times are whole seconds (see {@link TarWriter}).
 */
final class ChangeWriter {
    static final String WHITEOUT_PREFIX = ".wh.";
    static final String OPAQUE = ".wh..wh..opq";
    /** Host-specific attributes that do not belong in a layer: overlay's own, and SELinux labels. */
    private static final List<String> SKIPPED_XATTR_PREFIXES = List.of("trusted.overlay.", "security.selinux");

    private final TarWriter tar;
    private final FileSyscalls sys;
    private final Map<FileStat.InodeKey, String> written = new HashMap<>();

    ChangeWriter(TarWriter tar, FileSyscalls sys) {
        this.tar = tar;
        this.sys = sys;
    }

    /** A deletion of {@code dir + name} ({@code dir} is empty or ends with {@code /}). */
    void whiteout(String dir, String name) throws IOException {
        tar.write(TarEntry.file(dir + WHITEOUT_PREFIX + name, 0, 0, Instant.EPOCH), InputStream.nullInputStream());
    }

    /** Marks {@code dir} (ending with {@code /}, or empty for the root) as hiding everything below it. */
    void opaque(String dir) throws IOException {
        tar.write(TarEntry.file(dir + OPAQUE, 0, 0, Instant.EPOCH), InputStream.nullInputStream());
    }

    /** One file, directory, link or node as it is now; sockets are skipped. */
    void entry(Path host, String name, FileStat st) throws IOException {
        TarEntry.Type type;
        String link = "";
        switch (st.type()) {
            case DIRECTORY -> type = TarEntry.Type.DIRECTORY;
            case REGULAR -> type = TarEntry.Type.REGULAR;
            case SYMLINK -> {
                type = TarEntry.Type.SYMLINK;
                link = Files.readSymbolicLink(host).toString();
            }
            case CHAR_DEVICE -> type = TarEntry.Type.CHAR_DEVICE;
            case BLOCK_DEVICE -> type = TarEntry.Type.BLOCK_DEVICE;
            case FIFO -> type = TarEntry.Type.FIFO;
            default -> {
                return;
            }
        }
        if (type != TarEntry.Type.DIRECTORY && st.nlink() > 1) {
            String first = written.putIfAbsent(st.inode(), name);
            if (first != null) {
                type = TarEntry.Type.HARD_LINK;
                link = first;
            }
        }
        boolean data = type == TarEntry.Type.REGULAR;
        boolean device = type == TarEntry.Type.CHAR_DEVICE || type == TarEntry.Type.BLOCK_DEVICE;
        TarEntry e = new TarEntry(type == TarEntry.Type.DIRECTORY ? name + "/" : name, type, st.mode(), st.uid(),
                st.gid(), data ? st.size() : 0, Instant.ofEpochSecond(st.mtime().getEpochSecond()), link,
                device ? st.major() : 0, device ? st.minor() : 0,
                type == TarEntry.Type.HARD_LINK ? Map.of() : xattrs(host));
        if (data) {
            try (InputStream in = Files.newInputStream(host)) {
                tar.write(e, in);
            }
        } else {
            tar.write(e, InputStream.nullInputStream());
        }
    }

    /** {@code host} and, for a directory, everything below it, as additions. */
    void tree(Path host, String name) throws IOException {
        FileStat st = FileStat.lstat(host);
        entry(host, name, st);
        if (st.type() == FileType.DIRECTORY) {
            for (Path child : sortedChildren(host)) {
                tree(child, name + "/" + child.getFileName());
            }
        }
    }

    /** The extended attributes a layer carries for this path. */
    Map<String, byte[]> xattrs(Path host) {
        Map<String, byte[]> out = new TreeMap<>();
        String path = host.toString();
        for (String name : sys.llistxattr(path)) {
            if (SKIPPED_XATTR_PREFIXES.stream().noneMatch(name::startsWith)) {
                sys.lgetxattr(path, name).ifPresent(v -> out.put(name, v));
            }
        }
        return out;
    }

    static List<Path> sortedChildren(Path dir) throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            entries.forEach(children::add);
        }
        children.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        return children;
    }
}
