package dev.berth.manager.fs;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.function.Consumer;

/** Removes a directory tree without following symbolic links (a link is removed, never its target). */
public final class TreeDeleter {

    private TreeDeleter() {
    }

    /** Removes {@code top} and everything below it; an absent path is fine. */
    public static void delete(Path top) throws IOException {
        delete(top, p -> { });
    }

    /** As {@link #delete(Path)}, telling {@code removed} of each path as it goes. */
    public static void delete(Path top, Consumer<Path> removed) throws IOException {
        if (!Files.exists(top, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(top, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                removed.accept(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                removed.accept(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
