package dev.berth.shim.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrphanWatchTest {
    private static final Duration GRACE = Duration.ofMillis(300);

    @TempDir
    Path dir;

    @Test
    void awaitOrphaned_idleWithoutBundle_returnsAfterTheGrace() throws Exception {
        Path bundle = dir.resolve("gone");
        Thread t = Thread.ofVirtual().start(() -> await(new OrphanWatch(bundle, () -> true, GRACE)));
        t.join(Duration.ofSeconds(5));
        assertFalse(t.isAlive());
    }

    @Test
    void awaitOrphaned_whileTheBundleExistsOrATaskIsServed_doesNotReturn() throws Exception {
        Path bundle = Files.createDirectory(dir.resolve("bundle"));
        AtomicBoolean idle = new AtomicBoolean(true);
        Thread t = Thread.ofVirtual().start(() -> await(new OrphanWatch(bundle, idle::get, GRACE)));
        Thread.sleep(GRACE.multipliedBy(3));
        assertTrue(t.isAlive(), "exited although its bundle is there");

        idle.set(false);
        Files.delete(bundle);
        Thread.sleep(GRACE.multipliedBy(3));
        assertTrue(t.isAlive(), "exited although it serves a task");

        idle.set(true);
        t.join(Duration.ofSeconds(5));
        assertFalse(t.isAlive());
    }

    private static void await(OrphanWatch watch) {
        try {
            watch.awaitOrphaned();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
