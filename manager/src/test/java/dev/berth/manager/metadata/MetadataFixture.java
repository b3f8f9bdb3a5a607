package dev.berth.manager.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.manager.content.ContentWriter;
import dev.berth.manager.content.Digest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** A metadata database over in-memory backends in a temp dir, with a clock the test moves. */
abstract class MetadataFixture {

    static final String SNAPSHOTTER = "fake";

    @TempDir
    Path dir;

    final FakeContentStore content = new FakeContentStore();
    final FakeSnapshotter snapshots = new FakeSnapshotter();
    final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    MetadataDb db;

    @BeforeEach
    void openDb() throws IOException {
        db = open();
    }

    @AfterEach
    void closeDb() throws IOException {
        db.close();
    }

    MetadataDb open() throws IOException {
        return MetadataDb.open(dir.resolve("metadata.db"), content, Map.of(SNAPSHOTTER, snapshots), clock);
    }

    /** Writes and commits {@code data} in {@code namespace} under {@code lease} with {@code labels}. */
    Digest commit(String namespace, Optional<String> lease, String data, Map<String, String> labels)
            throws IOException {
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        MetadataContentStore store = db.contentStore(namespace, lease);
        try (ContentWriter w = store.writer("ref-" + data.hashCode(), bytes.length, null)) {
            w.write(ByteBuffer.wrap(bytes));
            return w.commit(bytes.length, null, labels).digest();
        }
    }

    Digest commit(String namespace, String data, Map<String, String> labels) throws IOException {
        return commit(namespace, Optional.empty(), data, labels);
    }

    static Digest digestOf(String data) {
        return FakeContentStore.digestOf(data.getBytes(StandardCharsets.UTF_8));
    }

    static BerthException assertKind(ErrorKind kind, Executable call) {
        BerthException e = assertThrows(BerthException.class, call);
        assertEquals(kind, e.kind(), e.getMessage());
        return e;
    }

    /** A clock the test sets. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
