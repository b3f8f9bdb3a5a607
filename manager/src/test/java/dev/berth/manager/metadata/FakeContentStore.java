package dev.berth.manager.metadata;

import dev.berth.api.errdefs.BerthException;
import dev.berth.manager.content.ContentInfo;
import dev.berth.manager.content.ContentStore;
import dev.berth.manager.content.ContentWriter;
import dev.berth.manager.content.Digest;
import dev.berth.manager.content.IngestStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** An in-memory content backend with the contract of {@link ContentStore}, and a switch to fail the next commit. */
final class FakeContentStore implements ContentStore {

    private final Map<Digest, byte[]> blobs = new LinkedHashMap<>();
    private final Map<Digest, ContentInfo> infos = new HashMap<>();
    private final Map<String, Ingest> ingests = new LinkedHashMap<>();
    private final Set<String> locked = new HashSet<>();
    private boolean failNextCommit;

    private static final class Ingest {
        final ByteArrayOutputStream data = new ByteArrayOutputStream();
        final long total;
        final Digest expected;
        final Instant started = Instant.now();

        Ingest(long total, Digest expected) {
            this.total = total;
            this.expected = expected;
        }
    }

    static Digest digestOf(byte[] data) {
        try {
            return Digest.sha256(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Puts a blob straight into the backend, as if committed by someone else or left by a crash. */
    synchronized Digest put(byte[] data) {
        Digest d = digestOf(data);
        blobs.put(d, data.clone());
        infos.put(d, new ContentInfo(d, data.length, Instant.now(), Instant.now(), Map.of()));
        return d;
    }

    synchronized boolean has(Digest d) {
        return blobs.containsKey(d);
    }

    synchronized Set<String> ingestRefs() {
        return Set.copyOf(ingests.keySet());
    }

    synchronized void failNextCommit() {
        failNextCommit = true;
    }

    @Override
    public synchronized ContentInfo info(Digest digest) {
        ContentInfo info = infos.get(digest);
        if (info == null) {
            throw BerthException.notFound("info " + digest + ": not found");
        }
        return info;
    }

    @Override
    public synchronized ContentInfo update(Digest digest, Map<String, String> labels, Set<String> fieldpaths) {
        ContentInfo info = info(digest);
        ContentInfo updated = new ContentInfo(digest, info.size(), info.createdAt(), Instant.now(), labels);
        infos.put(digest, updated);
        return updated;
    }

    @Override
    public synchronized List<ContentInfo> list() {
        return new ArrayList<>(infos.values());
    }

    @Override
    public synchronized void delete(Digest digest) {
        if (blobs.remove(digest) == null) {
            throw BerthException.notFound("delete " + digest + ": not found");
        }
        infos.remove(digest);
    }

    @Override
    public synchronized SeekableByteChannel read(Digest digest) {
        byte[] data = blobs.get(digest);
        if (data == null) {
            throw BerthException.notFound("read " + digest + ": not found");
        }
        return new BytesChannel(data);
    }

    @Override
    public synchronized ContentWriter writer(String ref, long total, Digest expected) {
        if (expected != null && blobs.containsKey(expected)) {
            throw BerthException.alreadyExists("writer " + expected + ": already exists");
        }
        if (!locked.add(ref)) {
            throw BerthException.unavailable("writer " + ref + ": ref is locked");
        }
        ingests.computeIfAbsent(ref, r -> new Ingest(total, expected));
        return new Writer(ref);
    }

    @Override
    public synchronized IngestStatus status(String ref) {
        Ingest in = ingests.get(ref);
        if (in == null) {
            throw BerthException.notFound("status " + ref + ": not found");
        }
        return new IngestStatus(ref, in.data.size(), in.total, in.expected, in.started, in.started);
    }

    @Override
    public synchronized List<IngestStatus> listStatuses() {
        List<IngestStatus> out = new ArrayList<>();
        for (String ref : ingests.keySet()) {
            out.add(status(ref));
        }
        return out;
    }

    @Override
    public synchronized void abort(String ref) {
        if (ingests.remove(ref) == null) {
            throw BerthException.notFound("abort " + ref + ": not found");
        }
    }

    private final class Writer implements ContentWriter {
        private final String ref;

        Writer(String ref) {
            this.ref = ref;
        }

        @Override
        public void write(ByteBuffer data) {
            synchronized (FakeContentStore.this) {
                byte[] b = new byte[data.remaining()];
                data.get(b);
                ingests.get(ref).data.writeBytes(b);
            }
        }

        @Override
        public void truncate(long offset) {
            synchronized (FakeContentStore.this) {
                if (offset != 0) {
                    throw BerthException.invalidArgument("truncate " + ref + ": only 0 supported");
                }
                ingests.get(ref).data.reset();
            }
        }

        @Override
        public Digest digest() {
            synchronized (FakeContentStore.this) {
                return digestOf(ingests.get(ref).data.toByteArray());
            }
        }

        @Override
        public IngestStatus status() {
            return FakeContentStore.this.status(ref);
        }

        /** Follows the ingest's bytes as they are written, and keeps them after commit or abort. */
        @Override
        public SeekableByteChannel openReader() {
            synchronized (FakeContentStore.this) {
                Ingest ingest = ingests.get(ref);
                return new BytesChannel(() -> {
                    synchronized (FakeContentStore.this) {
                        return ingest.data.toByteArray();
                    }
                });
            }
        }

        @Override
        public ContentInfo commit(long expectedSize, Digest expected, Map<String, String> labels) throws IOException {
            synchronized (FakeContentStore.this) {
                if (failNextCommit) {
                    failNextCommit = false;
                    throw new IOException("commit " + ref + ": injected failure");
                }
                byte[] data = ingests.remove(ref).data.toByteArray();
                Digest actual = digestOf(data);
                if (expectedSize > 0 && expectedSize != data.length) {
                    throw BerthException.failedPrecondition("commit " + ref + ": unexpected size");
                }
                if (expected != null && !expected.equals(actual)) {
                    throw BerthException.failedPrecondition("commit " + ref + ": unexpected digest");
                }
                if (blobs.containsKey(actual)) {
                    throw BerthException.alreadyExists("commit " + actual + ": already exists");
                }
                blobs.put(actual, data);
                ContentInfo info = new ContentInfo(actual, data.length, Instant.now(), Instant.now(), labels);
                infos.put(actual, info);
                return info;
            }
        }

        @Override
        public void close() {
            synchronized (FakeContentStore.this) {
                locked.remove(ref);
            }
        }
    }

    /** A read-only channel over a byte array, or over the current bytes of a growing one. */
    private static final class BytesChannel implements SeekableByteChannel {
        private final Supplier<byte[]> bytes;
        private long position;
        private boolean open = true;

        BytesChannel(byte[] data) {
            this(() -> data);
        }

        BytesChannel(Supplier<byte[]> bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read(ByteBuffer dst) {
            byte[] data = bytes.get();
            if (position >= data.length) {
                return -1;
            }
            int n = (int) Math.min(dst.remaining(), data.length - position);
            dst.put(data, (int) position, n);
            position += n;
            return n;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            throw new IOException("read-only");
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public SeekableByteChannel position(long newPosition) {
            position = newPosition;
            return this;
        }

        @Override
        public long size() {
            return bytes.get().length;
        }

        @Override
        public SeekableByteChannel truncate(long size) throws IOException {
            throw new IOException("read-only");
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }
}
