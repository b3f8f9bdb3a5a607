package dev.berth.manager.metadata;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InterruptedIOException;
import java.time.Duration;

/** Waits in tests for the background garbage collection after the deletes made so far. */
final class GcWait {

    private GcWait() {
    }

    static void await(MetadataDb db) throws InterruptedIOException {
        try {
            assertTrue(db.awaitGarbageCollected(Duration.ofSeconds(10)), "garbage collection after delete");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("waiting for garbage collection");
        }
    }
}
