package dev.berth.manager.content;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The store's own labels, one properties file per blob under {@code labels/<alg>/<encoded>}, each replaced whole
 * by an atomic rename so that a crash leaves either the old or the new set.
 */
final class LabelFiles {

    private final Path root;

    LabelFiles(Path root) {
        this.root = root;
    }

    private Path path(Digest digest) {
        return root.resolve(digest.algorithm()).resolve(digest.encoded());
    }

    /** The labels of {@code digest}; none if it never had any. */
    Map<String, String> read(Digest digest) throws IOException {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(path(digest), StandardCharsets.UTF_8)) {
            props.load(in);
        } catch (NoSuchFileException e) {
            return Map.of();
        }
        Map<String, String> labels = new TreeMap<>();
        props.forEach((k, v) -> labels.put((String) k, (String) v));
        return labels;
    }

    /** When the labels were last written, if ever. */
    Optional<FileTime> modified(Digest digest) throws IOException {
        try {
            return Optional.of(Files.getLastModifiedTime(path(digest)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    void write(Digest digest, Map<String, String> labels) throws IOException {
        Path target = path(digest);
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), "." + digest.encoded(), ".tmp");
        try {
            Properties props = new Properties();
            props.putAll(labels);
            try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                props.store(out, null);
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    void delete(Digest digest) throws IOException {
        Files.deleteIfExists(path(digest));
    }
}
