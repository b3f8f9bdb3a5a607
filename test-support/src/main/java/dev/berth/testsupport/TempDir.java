package dev.berth.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** A temp directory of a fixture's own, deleted with everything in it on {@link #close()}. */
final class TempDir implements AutoCloseable {
    private final Path path;

    private TempDir(Path path) {
        this.path = path;
    }

    /** A new directory named {@code prefix…} in the system's temp dir. */
    static TempDir create(String prefix) throws IOException {
        return new TempDir(Files.createTempDirectory(prefix));
    }

    /** A new directory named {@code prefix…} in {@code parent} (e.g. beside a file to be renamed into place). */
    static TempDir createIn(Path parent, String prefix) throws IOException {
        return new TempDir(Files.createTempDirectory(parent, prefix));
    }

    Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        List<Path> all;
        try (Stream<Path> walk = Files.walk(path)) {
            all = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : all) {
            Files.deleteIfExists(p);
        }
    }
}
