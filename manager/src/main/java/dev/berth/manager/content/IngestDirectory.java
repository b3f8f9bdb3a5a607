package dev.berth.manager.content;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/** One ingest's directory, {@code ingest/<sha256 of ref>/}, and the small files that describe it. */
final class IngestDirectory {

    static final String DATA = "data";
    private static final String REF = "ref";
    private static final String STARTED_AT = "startedat";
    private static final String UPDATED_AT = "updatedat";
    private static final String TOTAL = "total";
    private static final String EXPECTED = "expected";

    private final Path dir;

    private IngestDirectory(Path dir) {
        this.dir = dir;
    }

    /** The directory of {@code ref}; refs may hold any character, so the name is the hash of the ref. */
    static IngestDirectory of(Path ingestRoot, String ref) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(ref.getBytes(StandardCharsets.UTF_8));
            return new IngestDirectory(ingestRoot.resolve(HexFormat.of().formatHex(hash)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("jdk without SHA-256", e);
        }
    }

    static IngestDirectory at(Path dir) {
        return new IngestDirectory(dir);
    }

    Path data() {
        return dir.resolve(DATA);
    }

    /**
     * Whether a complete ingest is here. The {@code ref} file is written last, so a directory without it is what a
     * crash during {@link #create} left behind and holds nothing worth resuming.
     */
    boolean isComplete() {
        return Files.isRegularFile(dir.resolve(REF));
    }

    /** Lays out a new, empty ingest, replacing whatever incomplete one a crash left here. */
    void create(String ref, long total, Digest expected, Instant now) throws IOException {
        remove();
        Files.createDirectories(dir);
        replace(STARTED_AT, now.toString());
        replace(UPDATED_AT, now.toString());
        if (total > 0) {
            recordTotal(total);
        }
        if (expected != null) {
            recordExpected(expected);
        }
        Files.createFile(data());
        replace(REF, ref);
    }

    void recordTotal(long total) throws IOException {
        replace(TOTAL, Long.toString(total));
    }

    void recordExpected(Digest expected) throws IOException {
        replace(EXPECTED, expected.toString());
    }

    void recordUpdatedAt(Instant at) throws IOException {
        replace(UPDATED_AT, at.toString());
    }

    /**
     * Writes one small file through a rename, so that a crash while a writer rewrites it (updatedat on close, total
     * or expected on resume) leaves the old value rather than an empty file that no longer parses.
     */
    private void replace(String name, String value) throws IOException {
        Path tmp = dir.resolve("." + name + ".tmp");
        Files.writeString(tmp, value);
        Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    /** The ingest's status as the files tell it; empty if the directory holds no complete ingest. */
    Optional<IngestStatus> read() throws IOException {
        try {
            String ref = Files.readString(dir.resolve(REF));
            long offset = Files.size(data());
            long total = Files.exists(dir.resolve(TOTAL)) ? Long.parseLong(Files.readString(dir.resolve(TOTAL))) : 0;
            Digest expected = Files.exists(dir.resolve(EXPECTED))
                    ? Digest.parse(Files.readString(dir.resolve(EXPECTED))) : null;
            Instant startedAt = Instant.parse(Files.readString(dir.resolve(STARTED_AT)));
            // updatedat is rewritten when a writer closes; after a crash the data file's mtime is the later truth.
            Instant recorded = Instant.parse(Files.readString(dir.resolve(UPDATED_AT)));
            Instant modified = Files.getLastModifiedTime(data()).toInstant();
            Instant updatedAt = modified.isAfter(recorded) ? modified : recorded;
            return Optional.of(new IngestStatus(ref, offset, total, expected, startedAt, updatedAt));
        } catch (NoSuchFileException e) {
            // Incomplete (a crash during create) or removed while we looked (commit, abort).
            return Optional.empty();
        }
    }

    /** Removes the directory and its files; an absent directory is already removed. */
    void remove() throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
        } catch (NoSuchFileException e) {
            return;
        }
        Files.deleteIfExists(dir);
    }
}
