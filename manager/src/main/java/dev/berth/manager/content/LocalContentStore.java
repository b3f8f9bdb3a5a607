package dev.berth.manager.content;

import dev.berth.api.errdefs.BerthException;
import dev.berth.manager.fs.DiskFull;
import dev.berth.manager.fs.Permissions;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link ContentStore} in a directory tree laid out as containerd's local store (see package-info). */
public final class LocalContentStore implements ContentStore {

    private static final String DEFAULT_ALGORITHM = "sha256";

    private final Path blobs;
    private final Path ingests;
    private final LabelFiles labels;
    /** Refs with an open writer (or an abort under way); in memory, as in containerd: one daemon owns the root. */
    private final Set<String> lockedRefs = ConcurrentHashMap.newKeySet();
    /**
     * Guards a blob's appearance, removal and labels: rename(2) replaces an existing target, so "does it exist,
     * then rename" must not interleave with another commit of the same digest.
     */
    private final Object blobLock = new Object();

    private LocalContentStore(Path root) {
        this.blobs = root.resolve("blobs");
        this.ingests = root.resolve("ingest");
        this.labels = new LabelFiles(root.resolve("labels"));
    }

    /** Opens the store under {@code root}, creating its directories if needed. */
    public static LocalContentStore open(Path root) throws IOException {
        LocalContentStore store = new LocalContentStore(root);
        // 0700: blobs are the layers of images, ingests what is being pulled (see Permissions)
        Permissions.createDirectories(store.blobs, Permissions.PRIVATE_DIRECTORY);
        Permissions.createDirectories(store.ingests, Permissions.PRIVATE_DIRECTORY);
        Permissions.createDirectories(root.resolve("labels"), Permissions.PRIVATE_DIRECTORY);
        return store;
    }

    @Override
    public ContentInfo info(Digest digest) throws IOException {
        return find(digest).orElseThrow(() -> BerthException.notFound("info " + digest + ": not found"));
    }

    @Override
    public ContentInfo update(Digest digest, Map<String, String> newLabels, Set<String> fieldpaths)
            throws IOException {
        synchronized (blobLock) {
            if (!Files.exists(blobPath(digest))) {
                throw BerthException.notFound("update " + digest + ": not found");
            }
            Map<String, String> updated = new TreeMap<>(labels.read(digest));
            Map<String, String> given = newLabels == null ? Map.of() : newLabels;
            if (fieldpaths == null || fieldpaths.isEmpty() || fieldpaths.contains("labels")) {
                updated = new TreeMap<>(given);
            } else {
                for (String path : fieldpaths) {
                    if (!path.startsWith("labels.")) {
                        throw BerthException.invalidArgument("update " + digest + ": cannot update field " + path);
                    }
                    String key = path.substring("labels.".length());
                    if (given.containsKey(key)) {
                        updated.put(key, given.get(key));
                    } else {
                        updated.remove(key);
                    }
                }
            }
            writeLabels(digest, updated);
        }
        return info(digest);
    }

    @Override
    public List<ContentInfo> list() throws IOException {
        List<ContentInfo> infos = new ArrayList<>();
        try (DirectoryStream<Path> algorithms = Files.newDirectoryStream(blobs, Files::isDirectory)) {
            for (Path algorithm : algorithms) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(algorithm)) {
                    for (Path file : files) {
                        Optional<Digest> digest = digestOf(algorithm.getFileName().toString(),
                                file.getFileName().toString());
                        if (digest.isPresent()) {
                            // A blob deleted while we walk is simply not listed.
                            find(digest.get()).ifPresent(infos::add);
                        }
                    }
                }
            }
        }
        infos.sort(Comparator.comparing(info -> info.digest().toString()));
        return infos;
    }

    @Override
    public void delete(Digest digest) throws IOException {
        synchronized (blobLock) {
            if (!Files.exists(blobPath(digest))) {
                throw BerthException.notFound("delete " + digest + ": not found");
            }
            // Labels first: a crash in between leaves a blob without labels, never labels that outlive their blob.
            labels.delete(digest);
            Files.delete(blobPath(digest));
        }
    }

    @Override
    public SeekableByteChannel read(Digest digest) throws IOException {
        try {
            return FileChannel.open(blobPath(digest), StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw BerthException.notFound("read " + digest + ": not found");
        }
    }

    @Override
    public ContentWriter writer(String ref, long total, Digest expected) throws IOException {
        requireRef("write", ref);
        if (total < 0) {
            throw BerthException.invalidArgument("write " + ref + ": negative total " + total);
        }
        if (expected != null && Files.exists(blobPath(expected))) {
            throw BerthException.alreadyExists("write " + ref + ": " + expected + " already exists");
        }
        lock(ref);
        boolean opened = false;
        try {
            IngestDirectory ingest = IngestDirectory.of(ingests, ref);
            Optional<IngestStatus> saved = ingest.read();
            IngestStatus status;
            try {
                status = saved.isPresent()
                        ? resume(ingest, saved.get(), total, expected)
                        : start(ingest, ref, total, expected);
            } catch (IOException e) {
                if (!DiskFull.is(e)) {
                    throw e;
                }
                if (saved.isEmpty()) {
                    ingest.remove();
                }
                throw DiskFull.error("write " + ref, e);
            }
            String algorithm = status.expected() != null ? status.expected().algorithm() : DEFAULT_ALGORITHM;
            FileChannel data = FileChannel.open(ingest.data(), StandardOpenOption.READ, StandardOpenOption.WRITE);
            try {
                long size = data.size();
                RunningDigest digest = RunningDigest.ofFile(algorithm, data, size);
                data.position(size);
                LocalContentWriter writer = new LocalContentWriter(this, ingest, status, data, digest);
                opened = true;
                return writer;
            } finally {
                if (!opened) {
                    data.close();
                }
            }
        } finally {
            if (!opened) {
                release(ref);
            }
        }
    }

    private static IngestStatus start(IngestDirectory ingest, String ref, long total, Digest expected)
            throws IOException {
        Instant now = Instant.now();
        ingest.create(ref, total, expected, now);
        return new IngestStatus(ref, 0, total, expected, now, now);
    }

    /** Continues a saved ingest; what is announced now must agree with what was announced before. */
    private static IngestStatus resume(IngestDirectory ingest, IngestStatus saved, long total, Digest expected)
            throws IOException {
        String ref = saved.ref();
        long mergedTotal = saved.total();
        if (total > 0 && saved.total() > 0 && total != saved.total()) {
            throw BerthException.failedPrecondition(
                    "write " + ref + ": total " + total + " differs from the ingest's " + saved.total());
        } else if (total > 0 && saved.total() == 0) {
            ingest.recordTotal(total);
            mergedTotal = total;
        }
        Digest mergedExpected = saved.expected();
        if (expected != null && saved.expected() != null && !expected.equals(saved.expected())) {
            throw BerthException.failedPrecondition(
                    "write " + ref + ": expected " + expected + " differs from the ingest's " + saved.expected());
        } else if (expected != null && saved.expected() == null) {
            ingest.recordExpected(expected);
            mergedExpected = expected;
        }
        return new IngestStatus(ref, saved.offset(), mergedTotal, mergedExpected, saved.startedAt(),
                saved.updatedAt());
    }

    @Override
    public IngestStatus status(String ref) throws IOException {
        requireRef("status", ref);
        return IngestDirectory.of(ingests, ref).read()
                .orElseThrow(() -> BerthException.notFound("status " + ref + ": not found"));
    }

    @Override
    public List<IngestStatus> listStatuses() throws IOException {
        List<IngestStatus> statuses = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(ingests, Files::isDirectory)) {
            for (Path dir : dirs) {
                IngestDirectory.at(dir).read().ifPresent(statuses::add);
            }
        }
        statuses.sort(Comparator.comparing(IngestStatus::ref));
        return statuses;
    }

    @Override
    public void abort(String ref) throws IOException {
        requireRef("abort", ref);
        lock(ref);
        try {
            IngestDirectory ingest = IngestDirectory.of(ingests, ref);
            if (!ingest.isComplete()) {
                ingest.remove();
                throw BerthException.notFound("abort " + ref + ": not found");
            }
            ingest.remove();
        } finally {
            release(ref);
        }
    }

    /**
     * Moves a verified ingest's data into {@code blobs/} under {@code digest} and records its labels; called by a
     * writer after it checked size and digest and synced the data.
     */
    ContentInfo publish(IngestDirectory ingest, Digest digest, Map<String, String> blobLabels) throws IOException {
        Path blob = blobPath(digest);
        Files.createDirectories(blob.getParent());
        // Blobs are immutable; the mode says so to anyone looking at the tree.
        Files.setPosixFilePermissions(ingest.data(), PosixFilePermissions.fromString("r--r--r--"));
        synchronized (blobLock) {
            if (Files.exists(blob)) {
                ingest.remove();
                throw BerthException.alreadyExists("commit " + digest + ": already exists");
            }
            // createdAt is the commit time, kept as the blob's mtime (the data's mtime is its last write).
            Files.setLastModifiedTime(ingest.data(), FileTime.from(Instant.now()));
            Files.move(ingest.data(), blob, StandardCopyOption.ATOMIC_MOVE);
            writeLabels(digest, blobLabels);
        }
        syncDirectory(blob.getParent());
        ingest.remove();
        return info(digest);
    }

    void release(String ref) {
        lockedRefs.remove(ref);
    }

    private void lock(String ref) {
        if (!lockedRefs.add(ref)) {
            throw BerthException.unavailable("ref " + ref + " locked");
        }
    }

    private void writeLabels(Digest digest, Map<String, String> blobLabels) throws IOException {
        if (blobLabels.isEmpty()) {
            labels.delete(digest);
        } else {
            labels.write(digest, blobLabels);
        }
    }

    private Optional<ContentInfo> find(Digest digest) throws IOException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(blobPath(digest), BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        Instant createdAt = attrs.lastModifiedTime().toInstant();
        Instant updatedAt = labels.modified(digest).map(FileTime::toInstant)
                .filter(labelled -> labelled.isAfter(createdAt))
                .orElse(createdAt);
        return Optional.of(new ContentInfo(digest, attrs.size(), createdAt, updatedAt, labels.read(digest)));
    }

    private Path blobPath(Digest digest) {
        return blobs.resolve(digest.algorithm()).resolve(digest.encoded());
    }

    /** The digest a file under {@code blobs/} stands for; empty for files the store did not put there. */
    private static Optional<Digest> digestOf(String algorithm, String encoded) {
        try {
            return Optional.of(new Digest(algorithm, encoded));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Makes a rename into {@code dir} durable (fsync of the directory, which Linux allows through a read channel). */
    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private static void requireRef(String op, String ref) {
        if (ref == null || ref.isEmpty()) {
            throw BerthException.invalidArgument(op + ": empty ref");
        }
    }
}
