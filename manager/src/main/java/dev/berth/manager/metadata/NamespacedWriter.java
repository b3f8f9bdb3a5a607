package dev.berth.manager.metadata;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.manager.content.ContentInfo;
import dev.berth.manager.content.ContentWriter;
import dev.berth.manager.content.Digest;
import dev.berth.manager.content.IngestStatus;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A writer of one namespace's ingest over a backend ingest named {@code <namespace>/<seq>/<ref>}. A
 * <em>shared</em> writer (the backend already has the expected blob) starts without a backend ingest and only
 * creates one, copying the existing bytes, if data is written or the ingest truncated (containerd's
 * {@code createAndCopy}). Holds its namespaced ref's lock ({@link IngestLocks}) until closed or committed.
 */
final class NamespacedWriter implements ContentWriter {

    /** What opening found: an own backend writer, a shared blob, or the blob already in the namespace. */
    record Opened(boolean alreadyExistsInNamespace, String backendRef, Optional<ContentWriter> writer,
                  Optional<Digest> shared, long sharedSize, Instant startedAt, Optional<Digest> announced) {
        static Opened alreadyExists() {
            return new Opened(true, "", Optional.empty(), Optional.empty(), 0, Instant.EPOCH, Optional.empty());
        }

        /** An own backend writer (opened without an expected digest) and the digest announced for the ingest. */
        static Opened own(String backendRef, ContentWriter writer, Optional<Digest> announced) {
            return new Opened(false, backendRef, Optional.of(writer), Optional.empty(), 0, Instant.EPOCH, announced);
        }

        static Opened shared(String backendRef, Digest expected, long size, Instant startedAt) {
            return new Opened(false, backendRef, Optional.empty(), Optional.of(expected), size, startedAt,
                    Optional.of(expected));
        }
    }

    private final MetadataContentStore store;
    private final String ref;
    private final String backendRef;
    private final Optional<Digest> shared;
    private final long sharedSize;
    private final Instant startedAt;
    private final IngestLocks.Held lock;
    /** The digest announced when the ingest was opened: commit checks it when the caller gives none. */
    private final Optional<Digest> announced;
    /** The backend ingest; absent while a shared writer has not written anything. */
    private Optional<ContentWriter> writer;
    /** Set by commit: the digest stays answerable after the ingest is gone (also after ALREADY_EXISTS). */
    private Digest committed;

    NamespacedWriter(MetadataContentStore store, String ref, Opened opened, IngestLocks.Held lock) {
        this.store = store;
        this.ref = ref;
        this.backendRef = opened.backendRef();
        this.shared = opened.shared();
        this.sharedSize = opened.sharedSize();
        this.startedAt = opened.startedAt();
        this.announced = opened.announced();
        this.writer = opened.writer();
        this.lock = lock;
    }

    @Override
    public void write(ByteBuffer data) throws IOException {
        if (writer.isEmpty()) {
            if (!data.hasRemaining()) {
                return;
            }
            createAndCopy(sharedSize);
        }
        writer.get().write(data);
    }

    @Override
    public void truncate(long offset) throws IOException {
        if (writer.isPresent()) {
            writer.get().truncate(offset);
        } else {
            createAndCopy(offset);
        }
    }

    @Override
    public Digest digest() {
        if (committed != null) {
            return committed;
        }
        return writer.map(ContentWriter::digest).orElseGet(shared::orElseThrow);
    }

    @Override
    public IngestStatus status() {
        if (writer.isPresent()) {
            IngestStatus s = writer.get().status();
            return new IngestStatus(ref, s.offset(), s.total(), s.expected() != null ? s.expected()
                    : announced.orElse(null), s.startedAt(), s.updatedAt());
        }
        return new IngestStatus(ref, sharedSize, sharedSize, shared.orElseThrow(), startedAt, startedAt);
    }

    /** The backend ingest's bytes; those of the shared blob while a shared writer has written nothing. */
    @Override
    public SeekableByteChannel openReader() throws IOException {
        if (writer.isPresent()) {
            return writer.get().openReader();
        }
        return store.backend().read(shared.orElseThrow());
    }

    /**
     * Commits the blob to the backend (a blob another namespace committed first is fine) and records it for this
     * namespace with {@code labels}, in one transaction. ALREADY_EXISTS if this namespace already has it (the
     * ingest is dropped), FAILED_PRECONDITION on a size or digest mismatch. A size or digest not given here is
     * checked against the one announced when the ingest was opened.
     */
    @Override
    public ContentInfo commit(long expectedSize, Digest expected, Map<String, String> labels) throws IOException {
        try {
            return commitLocked(expectedSize, expected, labels);
        } finally {
            lock.release();
        }
    }

    private ContentInfo commitLocked(long expectedSize, Digest expected, Map<String, String> labels)
            throws IOException {
        Labels.validate(labels);
        long written = writer.isEmpty() ? sharedSize : writer.get().status().offset();
        Digest hashed = writer.isEmpty() ? shared.orElseThrow() : writer.get().digest();
        long wantSize = expectedSize > 0 ? expectedSize : status().total();
        Digest want = expected != null ? expected : announced.orElse(null);
        String mismatch = wantSize > 0 && wantSize != written
                ? "unexpected size " + written + ", expected " + wantSize
                : want != null && !want.equals(hashed) ? "unexpected digest " + hashed + ", expected " + want
                : null;
        if (mismatch != null) {
            // as the contract says: a failed verification removes the ingest, nothing of it stays
            closeBackend();
            store.abortLocked(ref);
            throw BerthException.failedPrecondition("commit " + ref + ": " + mismatch);
        }
        Outcome outcome = store.db().write("commit " + ref, c -> {
            long size;
            Digest actual;
            if (writer.isEmpty()) {
                size = sharedSize;
                actual = shared.orElseThrow();
            } else {
                size = writer.get().status().offset();
                actual = writer.get().digest();
            }
            if (!store.recordCommit(c, ref, actual, size, labels)) {
                discardBackendIngest();
                return new Outcome(actual, Optional.empty());
            }
            if (writer.isPresent()) {
                try {
                    // last step of the transaction: if it fails, no record of the blob is left behind
                    writer.get().commit(size, actual, Map.of());
                } catch (BerthException e) {
                    if (e.kind() != ErrorKind.ALREADY_EXISTS) {
                        throw e;
                    }
                }
            }
            return new Outcome(actual, Optional.of(store.require(c, "commit", actual)));
        });
        committed = outcome.digest();
        return outcome.info().orElseThrow(() -> BerthException.alreadyExists("commit " + outcome.digest()
                + ": already exists"));
    }

    /** A commit's digest, and the recorded blob unless the namespace already had it. */
    private record Outcome(Digest digest, Optional<ContentInfo> info) {
    }

    @Override
    public void close() throws IOException {
        try {
            closeBackend();
        } finally {
            lock.release();
        }
    }

    private void closeBackend() throws IOException {
        if (writer.isPresent()) {
            writer.get().close();
        }
    }

    private void discardBackendIngest() throws IOException {
        closeBackend();
        try {
            store.backend().abort(backendRef);
        } catch (BerthException e) {
            if (e.kind() != ErrorKind.NOT_FOUND) {
                throw e;
            }
        }
        writer = Optional.empty();
    }

    /** Turns a shared writer into an own one holding the first {@code size} bytes of the shared blob. */
    private void createAndCopy(long size) throws IOException {
        ContentWriter w = store.backend().writer(backendRef, sharedSize, null);
        if (size > 0) {
            try (SeekableByteChannel in = store.backend().read(shared.orElseThrow())) {
                ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
                long left = size;
                while (left > 0) {
                    buf.clear().limit((int) Math.min(buf.capacity(), left));
                    int n = in.read(buf);
                    if (n < 0) {
                        break;
                    }
                    buf.flip();
                    w.write(buf);
                    left -= n;
                }
            } catch (IOException | BerthException e) {
                w.close();
                throw e;
            }
        }
        writer = Optional.of(w);
    }
}
