package dev.berth.manager.content;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

class LocalContentStoreTest extends ContentStoreContract {

    @TempDir
    Path root;

    @Override
    protected ContentStore createStore() throws IOException {
        return LocalContentStore.open(root);
    }

    @Test
    void open_newInstanceOverSameRoot_seesBlobsLabelsAndIngests() throws IOException {
        byte[] blob = "kept across restarts".getBytes(UTF_8);
        Digest digest = sha256(blob);
        try (ContentWriter w = store.writer("ref-blob", blob.length, digest)) {
            w.write(ByteBuffer.wrap(blob));
            w.commit(blob.length, digest, Map.of("containerd.io/gc.root", "yes"));
        }
        ContentInfo before = store.info(digest);
        byte[] partial = random(3, 100_000);
        try (ContentWriter w = store.writer("ref-partial", partial.length, sha256(partial))) {
            w.write(ByteBuffer.wrap(partial, 0, 40_000));
        }
        IngestStatus ingestBefore = store.status("ref-partial");

        ContentStore restarted = LocalContentStore.open(root);
        assertEquals(before, restarted.info(digest));
        assertEquals(List.of(before), restarted.list());
        assertArrayEquals(blob, readAll(restarted, digest));
        assertEquals(List.of(ingestBefore), restarted.listStatuses());
        try (ContentWriter w = restarted.writer("ref-partial", 0, null)) {
            assertEquals(40_000, w.status().offset());
            assertEquals(sha256(partial), w.status().expected());
            w.write(ByteBuffer.wrap(partial, 40_000, partial.length - 40_000));
            w.commit(0, null, Map.of());
        }
        assertArrayEquals(partial, readAll(restarted, sha256(partial)));
    }

    @Test
    void commit_layoutIsContainerds() throws IOException {
        Digest digest = commit("ref-layout", "layout".getBytes(UTF_8));
        Path blob = root.resolve("blobs/sha256").resolve(digest.encoded());
        assertTrue(Files.isRegularFile(blob));
        assertEquals("r--r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(blob)));
        store.update(digest, Map.of("a", "b"), null);
        assertTrue(Files.isRegularFile(root.resolve("labels/sha256").resolve(digest.encoded())));

        try (ContentWriter w = store.writer("ref-open", 7, null)) {
            w.write(ByteBuffer.wrap(new byte[3]));
            Path ingest = root.resolve("ingest").resolve(sha256("ref-open".getBytes(UTF_8)).encoded());
            assertEquals("ref-open", Files.readString(ingest.resolve("ref")));
            assertEquals("7", Files.readString(ingest.resolve("total")));
            assertEquals(3, Files.size(ingest.resolve("data")));
            assertTrue(Files.exists(ingest.resolve("startedat")));
            assertTrue(Files.exists(ingest.resolve("updatedat")));
            assertFalse(Files.exists(ingest.resolve("expected")));
        }
    }

    @Test
    void writer_ingestInterruptedDuringCreate_startsAfresh() throws IOException {
        // A crash between mkdir and the ref file leaves a directory with data but no ref.
        Path ingest = root.resolve("ingest").resolve(sha256("ref-crashed".getBytes(UTF_8)).encoded());
        Files.createDirectories(ingest);
        Files.write(ingest.resolve("data"), new byte[] {9, 9, 9});
        assertEquals(List.of(), store.listStatuses());
        byte[] content = "fresh".getBytes(UTF_8);
        try (ContentWriter w = store.writer("ref-crashed", 0, null)) {
            assertEquals(0, w.status().offset());
            w.write(ByteBuffer.wrap(content));
            w.commit(content.length, sha256(content), Map.of());
        }
        assertArrayEquals(content, readAll(store, sha256(content)));
    }

    @Test
    void commit_sha512Expected_hashesWithSha512() throws IOException, NoSuchAlgorithmException {
        byte[] content = "sha512 content".getBytes(UTF_8);
        Digest digest = new Digest("sha512",
                java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(content)));
        try (ContentWriter w = store.writer("ref-512", 0, null)) {
            w.write(ByteBuffer.wrap(content));
            assertEquals(digest, w.commit(0, digest, Map.of()).digest());
        }
        assertTrue(Files.isRegularFile(root.resolve("blobs/sha512").resolve(digest.encoded())));
        assertArrayEquals(content, readAll(store, digest));
    }

    /** Not a check but a measurement: {@code -Dberth.content.throughput=true} to run it. */
    @Test
    @EnabledIfSystemProperty(named = "berth.content.throughput", matches = "true")
    void measure_write256MiB() throws IOException, NoSuchAlgorithmException {
        int chunk = 1 << 20;
        int chunks = 256;
        byte[][] data = new byte[8][chunk];
        SplittableRandom random = new SplittableRandom(256);
        for (byte[] d : data) {
            random.nextBytes(d);
        }
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        long t0 = System.nanoTime();
        for (int i = 0; i < chunks; i++) {
            md.update(data[i % data.length]);
        }
        Digest digest = Digest.sha256(md.digest());
        long hashOnly = System.nanoTime() - t0;

        long t1 = System.nanoTime();
        try (ContentWriter w = store.writer("ref-256", (long) chunk * chunks, null)) {
            for (int i = 0; i < chunks / 2; i++) {
                w.write(ByteBuffer.wrap(data[i % data.length]));
            }
        }
        long firstHalf = System.nanoTime() - t1;
        long t2 = System.nanoTime();
        ContentWriter resumed = store.writer("ref-256", (long) chunk * chunks, null);
        long resume = System.nanoTime() - t2;
        long t3 = System.nanoTime();
        try (resumed) {
            for (int i = chunks / 2; i < chunks; i++) {
                resumed.write(ByteBuffer.wrap(data[i % data.length]));
            }
            resumed.commit(0, digest, Map.of());
        }
        long secondHalf = System.nanoTime() - t3;

        double mib = chunks;
        System.out.printf("content throughput: sha256 alone %.0f MiB/s; write+hash+fsync+commit %.0f MiB/s"
                        + " (128 MiB then 128 MiB); resume of 128 MiB (re-hash) %.0f ms%n",
                mib / (hashOnly / 1e9), mib / ((firstHalf + secondHalf) / 1e9), resume / 1e6);
    }
}
