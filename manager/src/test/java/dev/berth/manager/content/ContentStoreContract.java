package dev.berth.manager.content;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The behaviour every {@link ContentStore} must have (after containerd's {@code core/content/testsuite}); a test
 * per implementation extends this class and supplies a fresh, empty store.
 */
public abstract class ContentStoreContract {

    /** A new, empty store, private to the calling test. */
    protected abstract ContentStore createStore() throws IOException;

    /**
     * Returns once the deletes made so far have reached the backend; a store that removes bytes later (a metadata
     * layer whose garbage collection runs in the background) waits for that here.
     */
    protected void awaitDeletes() throws IOException {
    }

    protected ContentStore store;

    @BeforeEach
    void setUpStore() throws IOException {
        store = createStore();
    }

    // ---- write, commit, read

    @Test
    void commit_writtenBytes_readBackWhole() throws IOException {
        byte[] content = "hello, berth".getBytes(UTF_8);
        Digest digest = sha256(content);
        ContentInfo info;
        try (ContentWriter w = store.writer("ref-roundtrip", content.length, digest)) {
            w.write(ByteBuffer.wrap(content, 0, 5));
            w.write(ByteBuffer.wrap(content, 5, content.length - 5));
            assertEquals(digest, w.digest());
            assertEquals(content.length, w.status().offset());
            info = w.commit(content.length, digest, Map.of("k", "v"));
        }
        assertEquals(digest, info.digest());
        assertEquals(content.length, info.size());
        assertEquals(Map.of("k", "v"), info.labels());
        assertEquals(info, store.info(digest));
        assertArrayEquals(content, readAll(store, digest));
        assertEquals(List.of(), store.listStatuses());
    }

    @Test
    void openReader_followsTheIngestAsItIsWritten_andStaysReadableAfterCommit() throws IOException {
        byte[] first = "written before ".getBytes(UTF_8);
        byte[] second = "and after the reader opened".getBytes(UTF_8);
        byte[] whole = (new String(first, UTF_8) + new String(second, UTF_8)).getBytes(UTF_8);
        Digest digest = sha256(whole);
        ByteBuffer got = ByteBuffer.allocate(whole.length + 1);
        try (ContentWriter w = store.writer("ref-follow", whole.length, digest)) {
            w.write(ByteBuffer.wrap(first));
            try (SeekableByteChannel reader = w.openReader()) {
                assertEquals(first.length, readAvailable(reader, got));
                assertEquals(-1, reader.read(ByteBuffer.allocate(1)), "nothing more written yet");
                w.write(ByteBuffer.wrap(second));
                w.commit(whole.length, digest, Map.of());
                assertEquals(second.length, readAvailable(reader, got), "written later, read after the commit");
            }
        }
        assertArrayEquals(whole, Arrays.copyOf(got.array(), got.position()));
        assertArrayEquals(whole, readAll(store, digest));
    }

    /** Reads what {@code ch} has now into {@code into}; answers how many bytes. */
    private static int readAvailable(SeekableByteChannel ch, ByteBuffer into) throws IOException {
        int total = 0;
        for (int n = ch.read(into); n > 0; n = ch.read(into)) {
            total += n;
        }
        return total;
    }

    @Test
    void read_isSeekable() throws IOException {
        byte[] content = "0123456789".getBytes(UTF_8);
        Digest digest = commit("ref-seek", content);
        try (SeekableByteChannel ch = store.read(digest)) {
            assertEquals(10, ch.size());
            ch.position(7);
            ByteBuffer buf = ByteBuffer.allocate(3);
            ch.read(buf);
            assertEquals("789", new String(buf.array(), UTF_8));
        }
    }

    @Test
    void commit_withoutExpectations_usesWhatWasWritten() throws IOException {
        byte[] content = "no expectations".getBytes(UTF_8);
        try (ContentWriter w = store.writer("ref-plain", 0, null)) {
            w.write(ByteBuffer.wrap(content));
            ContentInfo info = w.commit(0, null, Map.of());
            assertEquals(sha256(content), info.digest());
            assertEquals(Map.of(), info.labels());
        }
    }

    @Test
    void commit_emptyBlob() throws IOException {
        Digest digest = commit("ref-empty", new byte[0]);
        assertEquals(0, store.info(digest).size());
        assertArrayEquals(new byte[0], readAll(store, digest));
    }

    // ---- verification

    @Test
    void commit_wrongDigest_failedPreconditionAndNothingLeft() throws IOException {
        byte[] content = "actual".getBytes(UTF_8);
        Digest wrong = sha256("something else".getBytes(UTF_8));
        try (ContentWriter w = store.writer("ref-wrong-digest", 0, null)) {
            w.write(ByteBuffer.wrap(content));
            BerthException e = assertKind(ErrorKind.FAILED_PRECONDITION, () -> w.commit(content.length, wrong, Map.of()));
            assertTrue(e.getMessage().contains(wrong.toString()), e.getMessage());
            assertTrue(e.getMessage().contains(sha256(content).toString()), e.getMessage());
        }
        assertNothingLeft("ref-wrong-digest", sha256(content), wrong);
    }

    @Test
    void commit_wrongSize_failedPreconditionAndNothingLeft() throws IOException {
        byte[] content = "actual".getBytes(UTF_8);
        try (ContentWriter w = store.writer("ref-wrong-size", 0, null)) {
            w.write(ByteBuffer.wrap(content));
            BerthException e = assertKind(ErrorKind.FAILED_PRECONDITION,
                    () -> w.commit(content.length + 1, sha256(content), Map.of()));
            assertTrue(e.getMessage().contains(Integer.toString(content.length)), e.getMessage());
            assertTrue(e.getMessage().contains(Integer.toString(content.length + 1)), e.getMessage());
        }
        assertNothingLeft("ref-wrong-size", sha256(content));
    }

    @Test
    void commit_checksTotalAndExpectedAnnouncedAtOpen() throws IOException {
        byte[] content = "short".getBytes(UTF_8);
        try (ContentWriter w = store.writer("ref-announced", 100, null)) {
            w.write(ByteBuffer.wrap(content));
            assertKind(ErrorKind.FAILED_PRECONDITION, () -> w.commit(0, null, Map.of()));
        }
        assertNothingLeft("ref-announced", sha256(content));
    }

    @Test
    void commit_existingContent_alreadyExistsAndIngestRemoved() throws IOException {
        byte[] content = "twice".getBytes(UTF_8);
        Digest digest = commit("ref-first", content);
        try (ContentWriter w = store.writer("ref-second", 0, null)) {
            w.write(ByteBuffer.wrap(content));
            BerthException e = assertKind(ErrorKind.ALREADY_EXISTS, () -> w.commit(content.length, digest, Map.of()));
            assertEquals("commit " + digest + ": already exists", e.getMessage());
        }
        assertKind(ErrorKind.NOT_FOUND, () -> store.status("ref-second"));
        assertArrayEquals(content, readAll(store, digest));
    }

    @Test
    void writer_expectedAlreadyCommitted_alreadyExists() throws IOException {
        byte[] content = "committed".getBytes(UTF_8);
        Digest digest = commit("ref-a", content);
        assertKind(ErrorKind.ALREADY_EXISTS, () -> store.writer("ref-b", content.length, digest));
        assertEquals(List.of(), store.listStatuses());
    }

    @Test
    void writer_afterCommit_isClosed() throws IOException {
        ContentWriter w = store.writer("ref-closed", 0, null);
        w.write(ByteBuffer.wrap(new byte[] {1}));
        w.commit(0, null, Map.of());
        assertKind(ErrorKind.FAILED_PRECONDITION, () -> w.write(ByteBuffer.wrap(new byte[] {2})));
        w.close();
    }

    // ---- ingests: resume, truncate, lock, abort, status

    @Test
    void writer_reopenedRef_resumesAtSavedOffset() throws IOException {
        String ref = "default-1-manifest-sha256:" + "ab".repeat(32) + "/../odd ref ✓";
        byte[] content = random(1, 300_000);
        int half = content.length / 2;
        Digest digest = sha256(content);
        try (ContentWriter w = store.writer(ref, content.length, digest)) {
            w.write(ByteBuffer.wrap(content, 0, half));
        }
        IngestStatus saved = store.status(ref);
        assertEquals(ref, saved.ref());
        assertEquals(half, saved.offset());
        assertEquals(content.length, saved.total());
        assertEquals(digest, saved.expected());
        assertEquals(List.of(saved.ref()), store.listStatuses().stream().map(IngestStatus::ref).toList());

        try (ContentWriter w = store.writer(ref, content.length, digest)) {
            assertEquals(half, w.status().offset());
            assertEquals(sha256(Arrays.copyOf(content, half)), w.digest());
            w.write(ByteBuffer.wrap(content, half, content.length - half));
            w.commit(content.length, digest, Map.of());
        }
        assertArrayEquals(content, readAll(store, digest));
        assertKind(ErrorKind.NOT_FOUND, () -> store.status(ref));
    }

    @Test
    void writer_resumeWithDifferentTotal_failedPrecondition() throws IOException {
        try (ContentWriter w = store.writer("ref-total", 10, null)) {
            w.write(ByteBuffer.wrap(new byte[3]));
        }
        assertKind(ErrorKind.FAILED_PRECONDITION, () -> store.writer("ref-total", 11, null));
        assertEquals(3, store.status("ref-total").offset());
    }

    @Test
    void truncate_zero_startsOver() throws IOException {
        byte[] content = "second try".getBytes(UTF_8);
        try (ContentWriter w = store.writer("ref-truncate", 0, null)) {
            w.write(ByteBuffer.wrap("first try, longer".getBytes(UTF_8)));
            w.truncate(0);
            assertEquals(0, w.status().offset());
            assertEquals(sha256(new byte[0]), w.digest());
            w.write(ByteBuffer.wrap(content));
            assertEquals(sha256(content), w.commit(content.length, sha256(content), Map.of()).digest());
        }
        assertArrayEquals(content, readAll(store, sha256(content)));
    }

    @Test
    void writer_openRef_unavailableUntilClosed() throws IOException {
        try (ContentWriter w = store.writer("ref-locked", 0, null)) {
            w.write(ByteBuffer.wrap(new byte[] {1, 2}));
            BerthException e = assertKind(ErrorKind.UNAVAILABLE, () -> store.writer("ref-locked", 0, null));
            assertEquals("ref ref-locked locked", e.getMessage());
            assertKind(ErrorKind.UNAVAILABLE, () -> store.abort("ref-locked"));
        }
        try (ContentWriter w = store.writer("ref-locked", 0, null)) {
            assertEquals(2, w.status().offset());
        }
    }

    @Test
    void abort_removesIngest() throws IOException {
        try (ContentWriter w = store.writer("ref-abort", 0, null)) {
            w.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        }
        store.abort("ref-abort");
        assertKind(ErrorKind.NOT_FOUND, () -> store.status("ref-abort"));
        assertEquals(List.of(), store.listStatuses());
        assertKind(ErrorKind.NOT_FOUND, () -> store.abort("ref-abort"));
        try (ContentWriter w = store.writer("ref-abort", 0, null)) {
            assertEquals(0, w.status().offset());
        }
    }

    @Test
    void status_unknownRef_notFound() {
        BerthException e = assertKind(ErrorKind.NOT_FOUND, () -> store.status("nope"));
        assertEquals("status nope: not found", e.getMessage());
    }

    // ---- manager: info, list, update, delete

    @Test
    void list_info_update_delete() throws IOException {
        Digest a = commit("ref-a", "blob a".getBytes(UTF_8));
        Digest b = commit("ref-b", "blob b, longer".getBytes(UTF_8));
        assertEquals(Set.of(a, b), Set.copyOf(store.list().stream().map(ContentInfo::digest).toList()));
        assertEquals(14, store.info(b).size());

        ContentInfo updated = store.update(a, Map.of("x", "1", "y", "2"), Set.of());
        assertEquals(Map.of("x", "1", "y", "2"), updated.labels());
        assertTrue(!updated.updatedAt().isBefore(updated.createdAt()));
        updated = store.update(a, Map.of("x", "10", "z", "3"), Set.of("labels.x", "labels.y"));
        assertEquals(Map.of("x", "10"), updated.labels());
        updated = store.update(a, Map.of("w", "4"), Set.of("labels"));
        assertEquals(Map.of("w", "4"), updated.labels());
        assertEquals(Map.of("w", "4"), store.info(a).labels());
        assertKind(ErrorKind.INVALID_ARGUMENT, () -> store.update(a, Map.of(), Set.of("size")));

        store.delete(a);
        BerthException e = assertKind(ErrorKind.NOT_FOUND, () -> store.info(a));
        assertEquals("info " + a + ": not found", e.getMessage());
        assertKind(ErrorKind.NOT_FOUND, () -> store.read(a));
        assertKind(ErrorKind.NOT_FOUND, () -> store.delete(a));
        assertKind(ErrorKind.NOT_FOUND, () -> store.update(a, Map.of(), Set.of()));
        assertEquals(List.of(b), store.list().stream().map(ContentInfo::digest).toList());

        // Content committed again after a delete starts without the old labels.
        awaitDeletes();
        assertEquals(Map.of(), store.info(commit("ref-a2", "blob a".getBytes(UTF_8))).labels());
    }

    // ---- concurrency and size

    @Test
    void commit_concurrentWritersOfSameDigest_exactlyOneWins() throws Exception {
        int writers = 8;
        byte[] content = random(2, 1 << 20);
        Digest digest = sha256(content);
        CyclicBarrier allWritten = new CyclicBarrier(writers);
        List<Future<ErrorKind>> outcomes = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < writers; i++) {
                String ref = "ref-race-" + i;
                outcomes.add(pool.submit(() -> {
                    try (ContentWriter w = store.writer(ref, content.length, null)) {
                        for (int off = 0; off < content.length; off += 64 * 1024) {
                            w.write(ByteBuffer.wrap(content, off, Math.min(64 * 1024, content.length - off)));
                        }
                        allWritten.await();
                        w.commit(content.length, digest, Map.of());
                        return null;
                    } catch (BerthException e) {
                        return e.kind();
                    }
                }));
            }
        }
        List<ErrorKind> kinds = new ArrayList<>();
        for (Future<ErrorKind> outcome : outcomes) {
            kinds.add(get(outcome));
        }
        assertEquals(1, kinds.stream().filter(k -> k == null).count(), kinds.toString());
        assertEquals(writers - 1, kinds.stream().filter(k -> k == ErrorKind.ALREADY_EXISTS).count(), kinds.toString());
        assertArrayEquals(content, readAll(store, digest));
        assertEquals(List.of(), store.listStatuses());
    }

    @Test
    void commit_50MiBStreamedIn1MiBChunks() throws IOException, NoSuchAlgorithmException {
        int chunk = 1 << 20;
        int chunks = 50;
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        SplittableRandom random = new SplittableRandom(50);
        byte[] buf = new byte[chunk];
        Digest digest;
        try (ContentWriter w = store.writer("ref-large", (long) chunk * chunks, null)) {
            for (int i = 0; i < chunks; i++) {
                random.nextBytes(buf);
                expected.update(buf);
                w.write(ByteBuffer.wrap(buf));
            }
            digest = Digest.sha256(expected.digest());
            assertEquals(digest, w.commit(0, digest, Map.of()).digest());
        }
        assertEquals((long) chunk * chunks, store.info(digest).size());
        MessageDigest reread = MessageDigest.getInstance("SHA-256");
        try (SeekableByteChannel ch = store.read(digest)) {
            ByteBuffer in = ByteBuffer.allocate(chunk);
            while (ch.read(in.clear()) >= 0) {
                reread.update(in.flip());
            }
        }
        assertEquals(digest, Digest.sha256(reread.digest()));
    }

    // ---- digests: the store's API takes only parsed digests, so bad input stops at Digest.parse

    @Test
    void digestParse_invalid_rejectedNamingTheInput() {
        for (String bad : List.of("", "sha256", "sha256:", ":" + "a".repeat(64), "sha256:" + "A".repeat(64),
                "sha256:" + "a".repeat(63), "sha256:" + "g".repeat(64), "md5:d41d8cd98f00b204e9800998ecf8427e",
                "sha512:" + "a".repeat(64))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Digest.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("digest " + bad + ": "), e.getMessage());
        }
        Digest ok = Digest.parse("sha256:" + "0a".repeat(32));
        assertEquals("sha256:" + "0a".repeat(32), ok.toString());
    }

    // ---- helpers

    protected Digest commit(String ref, byte[] content) throws IOException {
        Digest digest = sha256(content);
        try (ContentWriter w = store.writer(ref, content.length, digest)) {
            w.write(ByteBuffer.wrap(content));
            w.commit(content.length, digest, Map.of());
        }
        return digest;
    }

    private void assertNothingLeft(String ref, Digest... digests) throws IOException {
        for (Digest digest : digests) {
            assertKind(ErrorKind.NOT_FOUND, () -> store.info(digest));
        }
        assertKind(ErrorKind.NOT_FOUND, () -> store.status(ref));
        assertEquals(List.of(), store.listStatuses());
        assertEquals(List.of(), store.list());
    }

    protected static BerthException assertKind(ErrorKind kind, Executable call) {
        BerthException e = assertThrows(BerthException.class, call);
        assertEquals(kind, e.kind(), e.toString());
        return e;
    }

    protected static byte[] readAll(ContentStore store, Digest digest) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (SeekableByteChannel ch = store.read(digest)) {
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            while (ch.read(buf.clear()) >= 0) {
                out.write(buf.array(), 0, buf.position());
            }
        }
        return out.toByteArray();
    }

    protected static Digest sha256(byte[] content) {
        try {
            return Digest.sha256(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    protected static byte[] random(long seed, int size) {
        byte[] bytes = new byte[size];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }

    private static ErrorKind get(Future<ErrorKind> outcome) throws InterruptedException, IOException {
        try {
            return outcome.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new AssertionError("writer failed", e.getCause());
        }
    }
}
