package dev.berth.manager.image;

import dev.berth.api.errdefs.BerthException;
import dev.berth.manager.content.Descriptor;
import dev.berth.manager.content.Digest;
import dev.berth.manager.image.reference.ImageReference;
import dev.berth.manager.image.registry.Registry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An in-memory registry of one host: repositories of blobs and manifests (by digest, and by tag), with the calls
 * it saw recorded and three faults to inject: a blob whose stream breaks after some bytes (once), bytes served
 * for a digest they do not match, and a blob that sends nothing until the test lets it.
 */
final class FakeRegistry implements Registry {

    /** One fetch as the fake saw it. */
    record Fetch(String repo, Digest digest, long offset) {
    }

    /** One mount attempt. */
    record MountCall(String repo, Digest digest, String from) {
    }

    private record Doc(String mediaType, byte[] body) {
    }

    final String host;
    private final Map<String, Map<Digest, byte[]>> blobs = new ConcurrentHashMap<>();
    private final Map<String, Map<Digest, Doc>> manifests = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Digest>> tags = new ConcurrentHashMap<>();
    private final Map<Digest, Long> breakAfter = new ConcurrentHashMap<>();
    private final Map<Digest, byte[]> corrupt = new ConcurrentHashMap<>();
    private final Map<Digest, Stall> stalls = new ConcurrentHashMap<>();
    final List<Fetch> fetches = new CopyOnWriteArrayList<>();
    final List<Digest> pushedBlobs = new CopyOnWriteArrayList<>();
    final List<String> pushedManifests = new CopyOnWriteArrayList<>();
    final List<MountCall> mounts = new CopyOnWriteArrayList<>();

    FakeRegistry(String host) {
        this.host = host;
    }

    void putBlob(String repo, byte[] body) {
        blobs.computeIfAbsent(repo, r -> new ConcurrentHashMap<>()).put(digest(body), body);
    }

    Descriptor putManifest(String repo, String tag, String mediaType, byte[] body) {
        Digest d = digest(body);
        manifests.computeIfAbsent(repo, r -> new ConcurrentHashMap<>()).put(d, new Doc(mediaType, body));
        if (tag != null) {
            tags.computeIfAbsent(repo, r -> new ConcurrentHashMap<>()).put(tag, d);
        }
        return new Descriptor(mediaType, d, body.length);
    }

    boolean hasBlob(String repo, Digest d) {
        return blobs.getOrDefault(repo, Map.of()).containsKey(d);
    }

    Map<Digest, byte[]> blobsOf(String repo) {
        return blobs.getOrDefault(repo, Map.of());
    }

    /** The next fetch of {@code d} ends with an IOException after {@code bytes} bytes. */
    void breakOnceAfter(Digest d, long bytes) {
        breakAfter.put(d, bytes);
    }

    /** Fetches of {@code d} return {@code wrong} instead of its bytes. */
    void serveInstead(Digest d, byte[] wrong) {
        corrupt.put(d, wrong);
    }

    /** Fetches of {@code d} send no byte until {@code release} is counted down (30 s at most). */
    void stallUntil(Digest d, CountDownLatch release) {
        stallAfter(d, 0, release);
    }

    /** Fetches of {@code d} send {@code bytes} bytes, then no more until {@code release} is counted down. */
    void stallAfter(Digest d, long bytes, CountDownLatch release) {
        stalls.put(d, new Stall(bytes, release));
    }

    private record Stall(long after, CountDownLatch release) {
    }

    long fetchesOf(Digest d) {
        return fetches.stream().filter(f -> f.digest().equals(d)).count();
    }

    @Override
    public Descriptor resolve(ImageReference ref) {
        Digest d = ref.digest().orElseGet(() -> {
            Digest t = tags.getOrDefault(ref.path(), Map.of()).get(ref.tag().orElseThrow());
            if (t == null) {
                throw BerthException.notFound("resolve " + ref + ": not found");
            }
            return t;
        });
        Doc doc = manifests.getOrDefault(ref.path(), Map.of()).get(d);
        if (doc == null) {
            throw BerthException.notFound("resolve " + ref + ": not found");
        }
        return new Descriptor(doc.mediaType(), d, doc.body().length);
    }

    @Override
    public InputStream fetch(ImageReference ref, Descriptor desc, long offset) throws IOException {
        fetches.add(new Fetch(ref.path(), desc.digest(), offset));
        byte[] body = corrupt.get(desc.digest());
        if (body == null) {
            Doc doc = manifests.getOrDefault(ref.path(), Map.of()).get(desc.digest());
            body = doc != null ? doc.body() : blobs.getOrDefault(ref.path(), Map.of()).get(desc.digest());
        }
        if (body == null) {
            throw BerthException.notFound("fetch " + ref.repository() + "@" + desc.digest() + ": not found");
        }
        InputStream in = new ByteArrayInputStream(body, (int) offset, body.length - (int) offset);
        Stall stall = stalls.get(desc.digest());
        if (stall != null && stall.after() <= offset) {
            await(desc, stall.release());
        } else if (stall != null) {
            in = new Pausing(in, stall.after() - offset, () -> await(desc, stall.release()));
        }
        Long limit = breakAfter.remove(desc.digest());
        return limit == null ? in : new Breaking(in, limit);
    }

    @Override
    public boolean exists(ImageReference ref, Descriptor blob) {
        return hasBlob(ref.path(), blob.digest());
    }

    @Override
    public boolean mount(ImageReference ref, Descriptor blob, String from) {
        mounts.add(new MountCall(ref.path(), blob.digest(), from));
        byte[] body = blobs.getOrDefault(from, Map.of()).get(blob.digest());
        if (body == null) {
            return false;
        }
        putBlob(ref.path(), body);
        return true;
    }

    @Override
    public void push(ImageReference ref, Descriptor blob, InputStream content) throws IOException {
        byte[] body = content.readAllBytes();
        if (!digest(body).equals(blob.digest()) || body.length != blob.size()) {
            throw BerthException.invalidArgument("push " + blob.digest() + ": digest or size mismatch");
        }
        pushedBlobs.add(blob.digest());
        putBlob(ref.path(), body);
    }

    @Override
    public void pushManifest(ImageReference ref, Descriptor manifest, byte[] body) {
        if (!digest(body).equals(manifest.digest())) {
            throw BerthException.invalidArgument("push manifest " + manifest.digest() + ": digest mismatch");
        }
        pushedManifests.add(ref.selector());
        putManifest(ref.path(), ref.tag().orElse(null), manifest.mediaType(), body);
    }

    static Digest digest(byte[] body) {
        try {
            return Digest.sha256(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(Descriptor desc, CountDownLatch release) throws IOException {
        try {
            if (!release.await(30, TimeUnit.SECONDS)) {
                throw new IOException("fetch " + desc.digest() + ": stalled for 30 s (injected)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("fetch " + desc.digest() + ": interrupted");
        }
    }

    /** Something a stream waits for, which may fail. */
    private interface Pause {
        void await() throws IOException;
    }

    /** A stream that waits once, after {@code before} bytes, like a connection that stalls mid-blob. */
    private static final class Pausing extends InputStream {
        private final InputStream in;
        private final Pause pause;
        private long before;

        Pausing(InputStream in, long before, Pause pause) {
            this.in = in;
            this.before = before;
            this.pause = pause;
        }

        @Override
        public int read() throws IOException {
            byte[] b = new byte[1];
            return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (before == 0) {
                pause.await();
                before = -1;
            }
            int n = in.read(b, off, before > 0 ? (int) Math.min(len, before) : len);
            if (n > 0 && before > 0) {
                before -= n;
            }
            return n;
        }
    }

    /** A stream that fails after {@code limit} bytes, like a connection reset mid-blob. */
    private static final class Breaking extends InputStream {
        private final InputStream in;
        private long left;

        Breaking(InputStream in, long limit) {
            this.in = in;
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            byte[] b = new byte[1];
            return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left == 0) {
                throw new IOException("connection reset (injected)");
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }
}
