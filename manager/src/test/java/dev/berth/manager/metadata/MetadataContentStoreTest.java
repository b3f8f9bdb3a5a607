package dev.berth.manager.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.errdefs.ErrorKind;
import dev.berth.manager.content.ContentInfo;
import dev.berth.manager.content.ContentWriter;
import dev.berth.manager.content.Digest;
import dev.berth.manager.content.IngestStatus;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MetadataContentStoreTest extends MetadataFixture {

    private static final byte[] DATA = "hello, layer".getBytes(StandardCharsets.UTF_8);
    private static final Digest DIGEST = FakeContentStore.digestOf(DATA);

    private MetadataContentStore ns(String namespace) {
        return db.contentStore(namespace, Optional.empty());
    }

    private static void write(ContentWriter w, byte[] data) throws Exception {
        w.write(ByteBuffer.wrap(data));
    }

    @Test
    void commit_visibleInItsNamespaceOnly_withNamespacedIngestRef() throws Exception {
        try (ContentWriter w = ns("a").writer("layer-1", DATA.length, DIGEST)) {
            write(w, DATA);
            assertEquals(Set.of("a/1/layer-1"), content.ingestRefs(), "backend ref = <ns>/<seq>/<ref>");
            ContentInfo info = w.commit(DATA.length, DIGEST, Map.of("l", "v"));
            assertEquals(new ContentInfo(DIGEST, DATA.length, clock.instant(), clock.instant(), Map.of("l", "v")),
                    info);
        }
        assertEquals(Map.of("l", "v"), ns("a").info(DIGEST).labels());
        assertEquals(Map.of(), content.info(DIGEST).labels(), "labels live in the database, not the backend");
        assertEquals(List.of(DIGEST), ns("a").list().stream().map(ContentInfo::digest).toList());
        assertKind(ErrorKind.NOT_FOUND, () -> ns("b").info(DIGEST));
        assertKind(ErrorKind.NOT_FOUND, () -> ns("b").read(DIGEST));
        assertTrue(ns("b").list().isEmpty());
        try (SeekableByteChannel ch = ns("a").read(DIGEST)) {
            ByteBuffer buf = ByteBuffer.allocate(DATA.length);
            ch.read(buf);
            assertEquals(new String(DATA, StandardCharsets.UTF_8), new String(buf.array(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void writer_expectedAlreadyInNamespace_alreadyExists() throws Exception {
        commit("a", "x", Map.of());
        assertKind(ErrorKind.ALREADY_EXISTS, () -> ns("a").writer("again", 1, digestOf("x")));
        assertTrue(ns("a").listStatuses().isEmpty());
    }

    @Test
    void writer_blobOfAnotherNamespace_isSharedAndCommitRecordsIt() throws Exception {
        commit("a", "x", Map.of("owner", "a"));
        try (ContentWriter w = ns("b").writer("ref", 0, digestOf("x"))) {
            assertEquals(new IngestStatus("ref", 1, 1, digestOf("x"), clock.instant(), clock.instant()), w.status());
            assertTrue(content.ingestRefs().isEmpty(), "nothing copied");
            ContentInfo info = w.commit(1, digestOf("x"), Map.of("owner", "b"));
            assertEquals(1, info.size());
        }
        assertEquals(Map.of("owner", "a"), ns("a").info(digestOf("x")).labels());
        assertEquals(Map.of("owner", "b"), ns("b").info(digestOf("x")).labels());
    }

    @Test
    void commit_bytesTheBackendAlreadyHas_recordedForTheNamespace() throws Exception {
        commit("a", "x", Map.of());
        Digest d = commit("b", "x", Map.of("k", "v"));
        assertEquals(Map.of("k", "v"), ns("b").info(d).labels());
    }

    @Test
    void commit_sameBytesTwiceInNamespace_alreadyExistsAndIngestDropped() throws Exception {
        commit("a", "x", Map.of());
        try (ContentWriter w = ns("a").writer("second", 1, null)) {
            write(w, "x".getBytes(StandardCharsets.UTF_8));
            assertKind(ErrorKind.ALREADY_EXISTS, () -> w.commit(1, null, Map.of()));
            assertEquals(digestOf("x"), w.digest(), "the digest stays answerable after the commit");
        }
        assertKind(ErrorKind.NOT_FOUND, () -> ns("a").status("second"));
        assertTrue(content.ingestRefs().isEmpty());
    }

    @Test
    void commit_digestOrSizeMismatch_failedPrecondition_andNeitherRecordNorIngestStays() throws Exception {
        try (ContentWriter w = ns("a").writer("ref", 0, null)) {
            write(w, DATA);
            assertKind(ErrorKind.FAILED_PRECONDITION, () -> w.commit(0, digestOf("other"), Map.of()));
        }
        assertKind(ErrorKind.NOT_FOUND, () -> ns("a").status("ref"));
        try (ContentWriter w = ns("a").writer("ref2", 0, null)) {
            write(w, DATA);
            assertKind(ErrorKind.FAILED_PRECONDITION, () -> w.commit(DATA.length + 1, null, Map.of()));
        }
        assertKind(ErrorKind.NOT_FOUND, () -> ns("a").status("ref2"));
        assertTrue(ns("a").list().isEmpty());
        assertTrue(content.ingestRefs().isEmpty());
    }

    @Test
    void status_listAndAbort() throws Exception {
        try (ContentWriter w = ns("a").writer("ref", 100, null)) {
            write(w, DATA);
        }
        IngestStatus s = ns("a").status("ref");
        assertEquals("ref", s.ref());
        assertEquals(DATA.length, s.offset());
        assertEquals(100, s.total());
        assertEquals(List.of(s), ns("a").listStatuses());
        assertTrue(ns("b").listStatuses().isEmpty());
        assertKind(ErrorKind.NOT_FOUND, () -> ns("b").status("ref"));

        try (ContentWriter w = ns("a").writer("ref", 100, null)) {
            assertEquals(DATA.length, w.status().offset(), "resumes the same backend ingest");
        }
        ns("a").abort("ref");
        assertKind(ErrorKind.NOT_FOUND, () -> ns("a").status("ref"));
        assertKind(ErrorKind.NOT_FOUND, () -> ns("a").abort("ref"));
        assertTrue(content.ingestRefs().isEmpty());
    }

    @Test
    void writer_refOpenTwice_unavailable() throws Exception {
        try (ContentWriter w = ns("a").writer("ref", 0, null)) {
            assertKind(ErrorKind.UNAVAILABLE, () -> ns("a").writer("ref", 0, null));
        }
        try (ContentWriter w = ns("b").writer("ref", 0, null)) {
            assertEquals("ref", w.status().ref(), "same ref in another namespace is another ingest");
        }
    }

    @Test
    void update_labelsByFieldpath() throws Exception {
        Digest d = commit("a", "x", Map.of("a", "1", "b", "2"));
        clock.advance(java.time.Duration.ofSeconds(1));
        ContentInfo info = ns("a").update(d, Map.of("c", "3"), Set.of("labels.c", "labels.a"));
        assertEquals(Map.of("b", "2", "c", "3"), info.labels());
        assertEquals(info.createdAt().plusSeconds(1), info.updatedAt());
        assertEquals(Map.of("z", "0"), ns("a").update(d, Map.of("z", "0"), Set.of()).labels());
        assertKind(ErrorKind.INVALID_ARGUMENT, () -> ns("a").update(d, Map.of(), Set.of("size")));
        assertKind(ErrorKind.NOT_FOUND, () -> ns("b").update(d, Map.of(), Set.of()));
    }

    @Test
    void delete_removesOnlyTheNamespaceRecord() throws Exception {
        Digest d = commit("a", "x", Map.of(GcLabels.ROOT, "1"));
        commit("b", "x", Map.of(GcLabels.ROOT, "1"));
        ns("a").delete(d);
        assertKind(ErrorKind.NOT_FOUND, () -> ns("a").info(d));
        assertKind(ErrorKind.NOT_FOUND, () -> ns("a").delete(d));
        assertEquals(d, ns("b").info(d).digest());
        assertTrue(content.has(d), "b still has it");
    }

    @Test
    void lease_writerAddsIngest_commitMovesItToContent() throws Exception {
        db.leases("a").create("l", Map.of());
        MetadataContentStore leased = db.contentStore("a", Optional.of("l"));
        try (ContentWriter w = leased.writer("ref", 0, null)) {
            assertEquals(List.of(LeaseResource.ingest("ref")), db.leases("a").listResources("l"));
            write(w, DATA);
            w.commit(0, null, Map.of());
        }
        assertEquals(List.of(LeaseResource.content(DIGEST)), db.leases("a").listResources("l"));
    }

    @Test
    void lease_existingBlobIsLeasedEvenThoughWriterFails() throws Exception {
        Digest d = commit("a", "x", Map.of());
        db.leases("a").create("l", Map.of());
        assertKind(ErrorKind.ALREADY_EXISTS, () -> db.contentStore("a", Optional.of("l")).writer("r", 0, d));
        assertEquals(List.of(LeaseResource.content(d)), db.leases("a").listResources("l"));
    }

    @Test
    void lease_missing_notFoundAndNothingWritten() {
        assertKind(ErrorKind.NOT_FOUND, () -> db.contentStore("a", Optional.of("nope")).writer("r", 0, null));
        assertTrue(content.ingestRefs().isEmpty());
    }

    @Test
    void sharedWriter_truncateCopiesThenBehavesAsOwnWriter() throws Exception {
        commit("a", "x", Map.of());
        try (ContentWriter w = ns("b").writer("ref", 0, digestOf("x"))) {
            w.truncate(0);
            assertEquals(0, w.status().offset());
            write(w, "x".getBytes(StandardCharsets.UTF_8));
            w.commit(1, digestOf("x"), Map.of());
        }
        assertFalse(ns("b").list().isEmpty());
    }
}
