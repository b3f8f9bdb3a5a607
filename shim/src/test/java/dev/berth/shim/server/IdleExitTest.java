package dev.berth.shim.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdleExitTest {
    @TempDir
    Path dir;

    @Test
    void await_idleForThePeriod_releasesTheSocket() throws Exception {
        Path socket = Files.createFile(dir.resolve("ns-1"));
        Files.setLastModifiedTime(socket, FileTime.from(Instant.now().minusSeconds(60)));
        IdleExit exit = new IdleExit(socket, Duration.ofMillis(300), () -> true, Clock.systemUTC());
        long start = System.nanoTime();
        exit.await(() -> false, false);
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(300).toNanos());
        assertFalse(Files.exists(socket));
    }

    @Test
    void await_addressHandedOutRecently_waitsAnIdlePeriodFromThen() throws Exception {
        Path socket = Files.createFile(dir.resolve("ns-2"));
        IdleExit exit = new IdleExit(socket, Duration.ofMillis(200), () -> true, Clock.systemUTC());
        Thread toucher = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < 4; i++) {
                    Thread.sleep(100);
                    Files.setLastModifiedTime(socket, FileTime.from(Instant.now())); // a start hands it out
                }
            } catch (InterruptedException | IOException e) {
                throw new IllegalStateException(e);
            }
        });
        long start = System.nanoTime();
        exit.await(() -> false, false);
        toucher.join();
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(600).toNanos(), "exited while handed out");
    }

    @Test
    void await_busy_neverExitsAndShutdownDoesNotEndAGroupServer() throws Exception {
        Path socket = Files.createFile(dir.resolve("ns-3"));
        Files.setLastModifiedTime(socket, FileTime.from(Instant.now().minusSeconds(60)));
        AtomicBoolean busy = new AtomicBoolean(true);
        IdleExit exit = new IdleExit(socket, Duration.ofMillis(100), () -> !busy.get(), Clock.systemUTC());
        Thread server = Thread.ofVirtual().start(() -> {
            try {
                exit.await(busy::get, false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread.sleep(500);
        exit.shutdownAsked();
        Thread.sleep(300);
        assertTrue(server.isAlive(), "a server with a task exited");
        busy.set(false);
        server.join(Duration.ofSeconds(5));
        assertFalse(server.isAlive());
    }

    @Test
    void await_containerScopeAndShutdown_exitsAtOnce() throws Exception {
        Path socket = Files.createFile(dir.resolve("c"));
        Files.setLastModifiedTime(socket, FileTime.from(Instant.now().minusSeconds(1)));
        IdleExit exit = new IdleExit(socket, Duration.ofHours(1), () -> true, Clock.systemUTC());
        exit.shutdownAsked();
        exit.await(() -> false, true);
        assertFalse(Files.exists(socket));
    }
}
