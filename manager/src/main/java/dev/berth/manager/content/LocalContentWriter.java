package dev.berth.manager.content;

import dev.berth.api.errdefs.BerthException;
import dev.berth.manager.fs.DiskFull;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;

/**
 * An open ingest of {@link LocalContentStore}: appends to {@code ingest/<hash>/data} and hashes the same bytes.
 * Holds its ref's lock from open until close or commit. Not thread-safe: one caller drives one writer.
 */
final class LocalContentWriter implements ContentWriter {

    private final LocalContentStore store;
    private final IngestDirectory ingest;
    private final String ref;
    private final long total;
    private final Digest expected;
    private final Instant startedAt;
    private final FileChannel data;
    private RunningDigest digest;
    private long offset;
    private Instant updatedAt;
    private boolean closed;

    /** Takes over {@code data}, positioned at its end, whose bytes {@code digest} has already hashed. */
    LocalContentWriter(LocalContentStore store, IngestDirectory ingest, IngestStatus status, FileChannel data,
                       RunningDigest digest) {
        this.store = store;
        this.ingest = ingest;
        this.ref = status.ref();
        this.total = status.total();
        this.expected = status.expected();
        this.startedAt = status.startedAt();
        this.updatedAt = status.updatedAt();
        this.offset = status.offset();
        this.data = data;
        this.digest = digest;
    }

    /**
     * Appends {@code bytes}. If the disk is full, the ingest is emptied before RESOURCE_EXHAUSTED is thrown: a pull
     * that failed for lack of space must not keep the disk full (the ingest stays, at offset 0, for a retry).
     */
    @Override
    public void write(ByteBuffer bytes) throws IOException {
        requireOpen("write");
        try {
            append(bytes);
        } catch (IOException e) {
            if (!DiskFull.is(e)) {
                throw e;
            }
            try {
                truncate(0);
            } catch (IOException truncateFailure) {
                e.addSuppressed(truncateFailure);
            }
            throw DiskFull.error("write " + ref, e);
        }
    }

    private void append(ByteBuffer bytes) throws IOException {
        int start = bytes.position();
        try {
            while (bytes.hasRemaining()) {
                data.write(bytes);
            }
        } finally {
            // Hash exactly what reached the file, so that digest and offset agree even after a failed write.
            ByteBuffer written = bytes.duplicate().limit(bytes.position()).position(start);
            offset += written.remaining();
            digest.update(written);
            updatedAt = Instant.now();
        }
    }

    @Override
    public void truncate(long size) throws IOException {
        requireOpen("truncate");
        if (size < 0 || size > offset) {
            throw BerthException.invalidArgument("truncate " + ref + ": size " + size + " outside 0.." + offset);
        }
        data.truncate(size);
        data.position(size);
        digest = size == 0 ? RunningDigest.of(digest.algorithm()) : RunningDigest.ofFile(digest.algorithm(), data, size);
        offset = size;
        updatedAt = Instant.now();
    }

    @Override
    public Digest digest() {
        return digest.current();
    }

    @Override
    public IngestStatus status() {
        return new IngestStatus(ref, offset, total, expected, startedAt, updatedAt);
    }

    /** Size and digest not given here are checked against those announced when the writer was opened. */
    @Override
    public SeekableByteChannel openReader() throws IOException {
        requireOpen("open reader of");
        return FileChannel.open(ingest.data(), StandardOpenOption.READ);
    }

    @Override
    public ContentInfo commit(long expectedSize, Digest expectedDigest, Map<String, String> labels) throws IOException {
        requireOpen("commit");
        closed = true;
        try {
            long wantSize = expectedSize > 0 ? expectedSize : total;
            Digest want = expectedDigest != null ? expectedDigest : expected;
            data.force(true);
            long size = data.size();
            Digest actual = want == null || want.algorithm().equals(digest.algorithm())
                    ? digest.current()
                    : RunningDigest.ofFile(want.algorithm(), data, size).current();
            if (wantSize > 0 && size != wantSize) {
                ingest.remove();
                throw BerthException.failedPrecondition(
                        "commit " + ref + ": size " + size + " does not match expected " + wantSize);
            }
            if (want != null && !want.equals(actual)) {
                ingest.remove();
                throw BerthException.failedPrecondition(
                        "commit " + ref + ": digest " + actual + " does not match expected " + want);
            }
            return store.publish(ingest, actual, labels == null ? Map.of() : labels);
        } finally {
            data.close();
            store.release(ref);
        }
    }

    /** Keeps the ingest for a later resume: the data is synced so that the resumed offset is durable. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try (data) {
            data.force(true);
            ingest.recordUpdatedAt(updatedAt);
        } finally {
            store.release(ref);
        }
    }

    private void requireOpen(String op) {
        if (closed) {
            throw BerthException.failedPrecondition(op + " " + ref + ": writer closed");
        }
    }
}
