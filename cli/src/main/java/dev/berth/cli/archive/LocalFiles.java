package dev.berth.cli.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * {@code docker cp}'s local side: a file or directory tree as a tar stream under a chosen top name, and a tar
 * stream extracted with its top entry renamed (docker's {@code archive.CopyTo} rules are the caller's).
 */
public final class LocalFiles {
    private LocalFiles() {
    }

    /**
     * Archives {@code source} (not following a symlink at the top) as {@code top} and everything below it; an
     * empty {@code top} archives a directory's contents alone.
     */
    public static void archive(Path source, String top, OutputStream out) throws IOException {
        archive(source, top, out, rel -> true);
    }

    /**
     * As {@link #archive(Path, String, OutputStream)}, with only the paths {@code include} accepts (each named
     * relative to {@code source}, '/'-separated): a build context with its {@code .dockerignore} applied.
     */
    public static void archive(Path source, String top, OutputStream out, Predicate<String> include)
            throws IOException {
        try (TarWriter tar = new TarWriter(out); Stream<Path> walk = Files.walk(source)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                String rel = source.relativize(p).toString();
                String name = top.isEmpty() ? rel : rel.isEmpty() ? top : top + "/" + rel;
                if (name.isEmpty() || !rel.isEmpty() && !include.test(rel)) {
                    continue;
                }
                PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                int mode = mode(a.permissions());
                long mtime = a.lastModifiedTime().toInstant().getEpochSecond();
                if (a.isSymbolicLink()) {
                    tar.add(new TarEntry(name, TarEntry.Kind.SYMLINK, mode, 0, mtime,
                            Files.readSymbolicLink(p).toString()), null);
                } else if (a.isDirectory()) {
                    tar.add(new TarEntry(name + "/", TarEntry.Kind.DIRECTORY, mode, 0, mtime, null), null);
                } else if (a.isRegularFile()) {
                    try (InputStream in = Files.newInputStream(p)) {
                        tar.add(new TarEntry(name, TarEntry.Kind.FILE, mode, a.size(), mtime, null), in);
                    }
                }
            }
        }
    }

    /**
     * Extracts {@code tar}: the entry named {@code top} (and what is below it) lands at {@code target}; with an
     * empty {@code top}, every entry lands below {@code target}.
     */
    public static void extract(InputStream tar, String top, Path target) throws IOException {
        TarReader reader = new TarReader(tar);
        for (Optional<TarEntry> e = reader.next(); e.isPresent(); e = reader.next()) {
            TarEntry entry = e.get();
            String name = entry.name().replaceFirst("^\\./", "").replaceAll("/+$", "");
            Path dest;
            if (top.isEmpty()) {
                dest = target.resolve(name);
            } else if (name.equals(top)) {
                dest = target;
            } else if (name.startsWith(top + "/")) {
                dest = target.resolve(name.substring(top.length() + 1));
            } else {
                continue;
            }
            if (!dest.normalize().startsWith(target.normalize())) {
                throw new IOException("tar: entry " + entry.name() + " leaves the target directory");
            }
            write(reader, entry, dest, target);
        }
    }

    private static void write(TarReader reader, TarEntry entry, Path dest, Path root) throws IOException {
        Set<PosixFilePermission> perms = PosixFilePermissions.fromString(rwx(entry.mode()));
        switch (entry.kind()) {
            case DIRECTORY -> {
                Files.createDirectories(dest);
                Files.setPosixFilePermissions(dest, perms);
            }
            case FILE -> {
                Files.createDirectories(dest.getParent());
                Files.deleteIfExists(dest);
                Files.copy(reader.content(), dest);
                Files.setPosixFilePermissions(dest, perms);
                Files.setLastModifiedTime(dest, FileTime.fromMillis(entry.mtime() * 1000));
            }
            case SYMLINK -> {
                Files.createDirectories(dest.getParent());
                Files.deleteIfExists(dest);
                Files.createSymbolicLink(dest, Path.of(entry.linkName()));
            }
            case HARDLINK -> {
                Files.createDirectories(dest.getParent());
                Files.deleteIfExists(dest);
                Files.createLink(dest, root.resolve(entry.linkName()));
            }
            default -> {
                // devices and fifos are not copied out, as docker cp run unprivileged would fail on them
            }
        }
    }

    private static int mode(Set<PosixFilePermission> p) {
        int m = 0;
        for (PosixFilePermission x : p) {
            m |= 1 << (8 - x.ordinal());
        }
        return m;
    }

    private static String rwx(int mode) {
        StringBuilder sb = new StringBuilder();
        for (int i = 8; i >= 0; i--) {
            sb.append((mode & (1 << i)) == 0 ? '-' : List.of('r', 'w', 'x').get((8 - i) % 3));
        }
        return sb.toString();
    }
}
