package dev.berth.manager.engine.volume;

import dev.berth.manager.fs.FileStat;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Set;

/** The bytes a tree's files hold, each inode counted once (docker's {@code directory.Size}); links not followed. */
final class DirectorySize {
    private DirectorySize() {
    }

    static long of(Path top) throws IOException {
        if (!Files.isDirectory(top)) {
            return 0;
        }
        Set<FileStat.InodeKey> seen = new HashSet<>();
        long[] total = {0};
        Files.walkFileTree(top, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                FileStat st = FileStat.lstat(file);
                if (st.nlink() <= 1 || seen.add(st.inode())) {
                    total[0] += st.size();
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return total[0];
    }
}
