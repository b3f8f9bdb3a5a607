package dev.berth.manager.image.pull;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.manager.content.ContentStore;
import dev.berth.manager.content.ContentWriter;
import dev.berth.manager.content.Descriptor;
import dev.berth.manager.content.Digest;
import dev.berth.manager.image.ImageLabels;
import dev.berth.manager.image.oci.MediaTypes;
import dev.berth.manager.image.reference.ImageReference;
import dev.berth.manager.image.registry.Registry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Fetches one pull's blobs from the registry into the content store (containerd {@code remotes.FetchHandler}):
 * ingests under stable refs ({@code layer-<digest>}, …, as containerd's {@code remotes.MakeRefKey}), so that an
 * interrupted download resumes from the ingest's offset with a Range request; a stream longer than the descriptor
 * is refused as soon as it says so; size and digest are verified by the content writer at commit, which removes
 * the ingest on a mismatch. Blobs already in the store are not fetched.
 */
final class BlobDownloader {

    /** Manifests, indexes and configs are read into memory: refuse anything claiming to be bigger. */
    static final long MAX_METADATA_SIZE = 8L << 20;
    private static final int BUFFER = 1 << 16;
    /** Report download progress at most every this many bytes. */
    private static final long PROGRESS_STEP = 1L << 20;
    private static final long LOCKED_WAIT_MILLIS = 100;
    private static final int LOCKED_RETRIES = 3000;
    /** Tries of a blob body whose connection breaks mid-way (each resumes where the last stopped). */
    private static final int BODY_ATTEMPTS = 4;

    private final Registry registry;
    private final ImageReference ref;
    private final ContentStore content;
    private final PullProgress progress;
    private final BooleanSupplier cancelled;

    BlobDownloader(Registry registry, ImageReference ref, ContentStore content, PullProgress progress,
                   BooleanSupplier cancelled) {
        this.registry = registry;
        this.ref = ref;
        this.content = content;
        this.progress = progress;
        this.cancelled = cancelled;
    }

    /**
     * Fetches a manifest, index or config: verified in memory, then stored with {@code labels} (added to the
     * existing blob's if it was already there). Returns its bytes.
     */
    byte[] fetchMetadata(Descriptor desc, Map<String, String> labels) throws IOException {
        if (desc.size() > MAX_METADATA_SIZE) {
            throw BerthException.invalidArgument("pull " + ref + ": " + desc.digest() + " of " + desc.size()
                    + " bytes is too big for a " + desc.mediaType());
        }
        Optional<byte[]> stored = readIfPresent(desc);
        if (stored.isPresent()) {
            progress.exists(desc);
            ImageLabels.add(content, desc.digest(), ImageLabels.withSource(ref, labels));
            return stored.get();
        }
        progress.downloading(desc, 0, desc.size());
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.max(desc.size(), 0));
        MessageDigest md = messageDigest(desc.digest());
        try (InputStream in = registry.fetch(ref, desc, 0)) {
            byte[] buf = new byte[BUFFER];
            int n;
            while ((n = in.read(buf)) > 0) {
                if (out.size() + (long) n > desc.size()) {
                    throw oversize(desc);
                }
                out.write(buf, 0, n);
                md.update(buf, 0, n);
            }
        }
        byte[] body = out.toByteArray();
        Digest actual = new Digest(desc.digest().algorithm(), java.util.HexFormat.of().formatHex(md.digest()));
        if (body.length != desc.size() || !actual.equals(desc.digest())) {
            throw BerthException.failedPrecondition("pull " + ref + ": " + desc.mediaType() + " " + desc.digest()
                    + ": got " + body.length + " bytes of digest " + actual + ", expected " + desc.size());
        }
        try (ContentWriter w = openWriter(desc)) {
            if (w.status().offset() > 0) {
                w.truncate(0);
            }
            w.write(ByteBuffer.wrap(body));
            commit(w, desc, ImageLabels.withSource(ref, labels));
        } catch (AlreadyThere e) {
            ImageLabels.add(content, desc.digest(), ImageLabels.withSource(ref, labels));
        }
        progress.done(desc);
        return body;
    }

    /**
     * Fetches a layer (or any big blob) into the store, resuming an interrupted ingest. {@code watcher} is told,
     * once the resume offset is known, that the blob's bytes are being written into the ingest, and then how far
     * they are written, so that it can read them as they arrive; or that there is nothing to follow (the blob is
     * stored, or its ingest already complete). Returns whether the blob was downloaded (false: it was already
     * there).
     */
    boolean fetchBlob(Descriptor desc, Watcher watcher) throws IOException {
        try (ContentWriter w = openWriter(desc)) {
            long offset = w.status().offset();
            if (offset > desc.size()) {
                w.truncate(0);
                offset = 0;
            }
            if (offset < desc.size()) {
                watcher.writing(w, offset);
            } else {
                watcher.declined();
            }
            progress.downloading(desc, offset, desc.size());
            if (offset < desc.size()) {
                copy(desc, w, offset, watcher);
            }
            commit(w, desc, ImageLabels.withSource(ref, Map.of()));
        } catch (AlreadyThere e) {
            watcher.declined();
            progress.exists(desc);
            ImageLabels.add(content, desc.digest(), ImageLabels.withSource(ref, Map.of()));
            return false;
        } catch (BerthException e) {
            if (e.kind() == ErrorKind.FAILED_PRECONDITION) {
                // bytes that do not make the blob are no use to a resume (the namespaced writer keeps them)
                abortQuietly(refKey(desc));
            }
            throw e;
        }
        progress.done(desc);
        return true;
    }

    /**
     * Who follows a blob's bytes into its ingest while it downloads (the unpacker, through {@link LayerDownloads}).
     * A failed download is reported to it by the caller.
     */
    interface Watcher {
        /**
         * The download writes into {@code writer} from {@code offset} on (the bytes before it are the resumed
         * ingest's); called before the first of them is written.
         */
        void writing(ContentWriter writer, long offset) throws IOException;

        /** The first {@code offset} bytes of the blob are in the ingest. */
        void written(long offset);

        /** Nothing to follow: the blob is already stored, or its ingest already complete and only committed. */
        void declined();
    }

    /**
     * Copies the blob from {@code from} to its end into the writer, telling the watcher how far it got. A
     * connection that breaks mid-body is picked up again from the bytes already written, with a Range request, a
     * few times with a growing pause; the ingest grows as one contiguous stream either way.
     */
    private void copy(Descriptor desc, ContentWriter w, long from, Watcher watcher) throws IOException {
        long offset = from;
        long reported = from;
        for (int attempt = 1; ; attempt++) {
            try (InputStream in = registry.fetch(ref, desc, offset)) {
                byte[] buf = new byte[BUFFER];
                int n;
                while ((n = in.read(buf)) > 0) {
                    if (offset + n > desc.size()) {
                        throw oversize(desc);
                    }
                    w.write(ByteBuffer.wrap(buf, 0, n));
                    offset += n;
                    watcher.written(offset);
                    if (offset - reported >= PROGRESS_STEP) {
                        progress.downloading(desc, offset, desc.size());
                        reported = offset;
                    }
                    if (cancelled.getAsBoolean()) {
                        throw new InterruptedIOException("pull " + ref + ": download of " + desc.digest()
                                + " cancelled at " + offset + " bytes");
                    }
                }
                if (offset >= desc.size()) {
                    break;
                }
                if (attempt >= BODY_ATTEMPTS) {
                    throw BerthException.unavailable("pull " + ref + ": " + desc.digest() + ": stream ended at "
                            + offset + " of " + desc.size() + " bytes");
                }
            } catch (InterruptedIOException e) {
                throw e;
            } catch (IOException e) {
                if (attempt >= BODY_ATTEMPTS) {
                    throw new BerthException(ErrorKind.UNAVAILABLE, "pull " + ref + ": download of " + desc.digest()
                            + " broke at " + offset + " of " + desc.size() + " bytes, " + attempt + " times: "
                            + e.getMessage(), e);
                }
            }
            pause(attempt);
        }
        progress.downloading(desc, offset, desc.size());
    }

    private void pause(int attempt) throws InterruptedIOException {
        try {
            Thread.sleep(200L << (attempt - 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("pull " + ref + ": interrupted");
        }
    }

    private void commit(ContentWriter w, Descriptor desc, Map<String, String> labels) throws IOException {
        try {
            w.commit(desc.size(), desc.digest(), labels);
        } catch (BerthException e) {
            if (e.kind() == ErrorKind.ALREADY_EXISTS) {
                throw new AlreadyThere();
            }
            throw new BerthException(e.kind(), "pull " + ref + ": " + e.getMessage(), e);
        }
    }

    /** Opens the blob's ingest; waits while another pull holds the same ref (it may be about to commit it). */
    private ContentWriter openWriter(Descriptor desc) throws IOException {
        String ingestRef = refKey(desc);
        for (int attempt = 0; ; attempt++) {
            try {
                return content.writer(ingestRef, desc.size(), desc.digest());
            } catch (BerthException e) {
                if (e.kind() == ErrorKind.ALREADY_EXISTS) {
                    throw new AlreadyThere();
                }
                if (e.kind() != ErrorKind.UNAVAILABLE || attempt >= LOCKED_RETRIES || cancelled.getAsBoolean()) {
                    throw e;
                }
            }
            try {
                Thread.sleep(LOCKED_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("pull " + ref + ": interrupted waiting for ingest " + ingestRef);
            }
        }
    }

    private Optional<byte[]> readIfPresent(Descriptor desc) throws IOException {
        try (var ch = content.read(desc.digest())) {
            ByteBuffer buf = ByteBuffer.allocate((int) ch.size());
            while (buf.hasRemaining() && ch.read(buf) >= 0) {
                // read to the end
            }
            return Optional.of(buf.array());
        } catch (BerthException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private void abortQuietly(String ingestRef) throws IOException {
        try {
            content.abort(ingestRef);
        } catch (BerthException e) {
            if (e.kind() != ErrorKind.NOT_FOUND) {
                throw e;
            }
        }
    }

    /** containerd's {@code remotes.MakeRefKey}: the ingest ref of a blob, stable across pulls. */
    static String refKey(Descriptor desc) {
        String mt = desc.mediaType();
        String kind;
        if (MediaTypes.isIndex(mt)) {
            kind = "index";
        } else if (MediaTypes.isManifest(mt)) {
            kind = "manifest";
        } else if (mt.equals(MediaTypes.OCI_CONFIG) || mt.equals(MediaTypes.DOCKER_CONFIG)) {
            kind = "config";
        } else if (mt.contains("layer") || mt.contains("rootfs")) {
            kind = "layer";
        } else {
            kind = "unknown";
        }
        return kind + "-" + desc.digest();
    }

    private BerthException oversize(Descriptor desc) {
        return BerthException.failedPrecondition("pull " + ref + ": " + desc.digest() + ": registry sent more than "
                + desc.size() + " bytes");
    }

    private static MessageDigest messageDigest(Digest d) {
        try {
            return MessageDigest.getInstance(d.jdkAlgorithm());
        } catch (NoSuchAlgorithmException e) {
            throw BerthException.internal("digest algorithm " + d.algorithm() + ": " + e.getMessage());
        }
    }

    /** The blob is already committed in this namespace: not an error for a pull. */
    private static final class AlreadyThere extends IOException {
        AlreadyThere() {
            super("already exists");
        }
    }
}
