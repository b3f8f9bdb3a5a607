package dev.berth.manager.snapshot.storage;

import dev.berth.manager.fs.FileStat;
import dev.berth.manager.fs.FileType;
import dev.berth.manager.fs.Permissions;
import dev.berth.manager.fs.TreeDeleter;
import dev.berth.manager.snapshot.Usage;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The per-snapshot directories of a snapshotter, named by record id as in containerd's overlay snapshotter:
 * {@code <root>/snapshots/<id>/fs} (the layer's files; overlay's upperdir or a lowerdir) and
 * {@code <root>/snapshots/<id>/work} (overlay's workdir, for active snapshots).
 */
public final class SnapshotDirectories {
    private final Path snapshots;

    public SnapshotDirectories(Path root) throws IOException {
        // 0700 as containerd's: a layer's setuid binaries and a container's upper dir are for root alone
        this.snapshots = Permissions.createDirectories(root.resolve("snapshots"), Permissions.PRIVATE_DIRECTORY);
    }

    public Path dir(long id) {
        return snapshots.resolve(Long.toString(id));
    }

    public Path fs(long id) {
        return dir(id).resolve("fs");
    }

    public Path work(long id) {
        return dir(id).resolve("work");
    }

    /** The ids of the directories present, whether or not a record names them. */
    public Set<Long> existing() throws IOException {
        Set<Long> ids = new HashSet<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(snapshots)) {
            for (Path d : dirs) {
                parseId(d.getFileName().toString()).ifPresent(ids::add);
            }
        }
        return ids;
    }

    /** Removes every entry of {@code snapshots/} that is not the directory of one of {@code ids}. */
    public void removeUnreferenced(Set<Long> ids) throws IOException {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(snapshots)) {
            for (Path d : dirs) {
                boolean referenced = parseId(d.getFileName().toString()).map(ids::contains).orElse(false);
                if (!referenced) {
                    TreeDeleter.delete(d);
                }
            }
        }
    }

    /** Deletes a snapshot's directory and everything in it, never following a symlink. */
    public void delete(long id) throws IOException {
        TreeDeleter.delete(dir(id));
    }

    /** The size in bytes and the number of inodes of the tree under {@code fs(id)}, hard links counted once. */
    public Usage usage(long id) throws IOException {
        Set<FileStat.InodeKey> seen = new HashSet<>();
        long[] size = {0};
        Files.walkFileTree(fs(id), new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                count(dir);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                count(file);
                return FileVisitResult.CONTINUE;
            }

            private void count(Path p) throws IOException {
                FileStat st = FileStat.lstat(p);
                if (seen.add(st.inode()) && st.type() != FileType.DIRECTORY) {
                    size[0] += st.size();
                }
            }
        });
        return new Usage(size[0], seen.size());
    }

    private static Optional<Long> parseId(String name) {
        if (name.isEmpty() || name.length() > 18 || !name.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(name));
    }
}
