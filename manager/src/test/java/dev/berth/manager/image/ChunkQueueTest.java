package dev.berth.manager.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The bounded hand-over between a writing and a reading thread. */
class ChunkQueueTest {

    @Test
    void read_chunksWrittenOnAnotherThread_inOrderThenEnd() throws Exception {
        ChunkQueue q = new ChunkQueue("test", 2);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                for (int i = 0; i < 100; i++) { // far more than the queue holds: the writer waits for the reader
                    q.write(new byte[] {(byte) i, 0, 1}, 0, 1);
                }
                q.finish();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        byte[] all = q.readAllBytes();
        writer.get();
        assertEquals(100, all.length);
        for (int i = 0; i < 100; i++) {
            assertEquals((byte) i, all[i]);
        }
        assertEquals(-1, q.read());
    }

    @Test
    void read_afterTheWriterFailed_throwsItsFailureAtEveryRead() throws Exception {
        ChunkQueue q = new ChunkQueue("layer x", 4);
        q.write(new byte[] {1, 2}, 0, 2);
        IOException cause = new IOException("connection reset");
        q.fail(cause);

        IOException first = assertThrows(IOException.class, () -> q.read(new byte[8], 0, 8));
        assertSame(cause, first.getCause());
        assertEquals("layer x: connection reset", first.getMessage());
        assertThrows(IOException.class, q::read, "never taken for an end of stream");
    }

    @Test
    void write_afterTheReaderClosed_isDroppedWithoutBlocking() {
        ChunkQueue q = new ChunkQueue("import", 1);
        q.close();
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            for (int i = 0; i < 10; i++) {
                q.write(new byte[1024], 0, 1024);
            }
            q.finish();
        });
    }
}
