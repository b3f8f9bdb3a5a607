package dev.berth.shim.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OomWatcherTest {
    @TempDir
    Path dir;

    private Path proc(int pid, String cgroup) throws IOException {
        Path p = Files.createDirectories(dir.resolve("proc").resolve(Integer.toString(pid)));
        Files.writeString(p.resolve("cgroup"), cgroup);
        return dir.resolve("proc");
    }

    private Path write(String file, String content) throws IOException {
        Path p = dir.resolve("cgroup").resolve(file);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        return p;
    }

    private static String oomControl(int kills) {
        return "oom_kill_disable 0\nunder_oom 0\noom_kill " + kills + "\n";
    }

    @Test
    void locate_v1_memoryHierarchy() throws IOException {
        Path procRoot = proc(7, "5:devices:/ns/c1\n4:memory:/ns/c1\n1:cpu,cpuacct:/ns/c1\n0::/ns/c1\n");
        Path file = write("memory/ns/c1/memory.oom_control", oomControl(3));
        Optional<OomCounter> c = OomCounter.locate(7, procRoot, dir.resolve("cgroup"));
        assertEquals(Optional.of(new OomCounter(file)), c);
        assertEquals(3, c.orElseThrow().read());
    }

    @Test
    void locate_v2_unifiedHierarchy() throws IOException {
        write("cgroup.controllers", "memory pids\n");
        Path file = write("ns/c2/memory.events", "low 0\nhigh 0\nmax 4\noom 2\noom_kill 1\n");
        Path procRoot = proc(8, "0::/ns/c2\n");
        OomCounter c = OomCounter.locate(8, procRoot, dir.resolve("cgroup")).orElseThrow();
        assertEquals(file, c.file());
        assertEquals(1, c.read());
    }

    @Test
    void locate_noMemoryCgroup_isEmpty() throws IOException {
        Path procRoot = proc(9, "4:memory:/gone\n");
        assertEquals(Optional.empty(), OomCounter.locate(9, procRoot, dir.resolve("cgroup")));
    }

    @Test
    void watch_counterGrows_reportsTheContainerOnce() throws Exception {
        Path procRoot = proc(10, "4:memory:/ns/c3\n");
        Path file = write("memory/ns/c3/memory.oom_control", oomControl(2));
        LinkedBlockingQueue<String> reported = new LinkedBlockingQueue<>();
        OomWatcher watcher = new OomWatcher(reported::add, Duration.ofMillis(10), procRoot, dir.resolve("cgroup"));
        watcher.watch("c3", 10);
        try {
            Thread.sleep(50);
            assertTrue(reported.isEmpty(), "kills before watch are not reported: " + reported);
            Files.writeString(file, oomControl(3));
            assertEquals("c3", reported.poll(5, TimeUnit.SECONDS));
            Thread.sleep(50);
            assertEquals(List.of(), List.copyOf(reported));
        } finally {
            watcher.forget("c3");
        }
    }

    @Test
    void checkNow_killBeforeThePoll_isReportedOnce() throws Exception {
        Path procRoot = proc(12, "4:memory:/ns/c5\n");
        Path file = write("memory/ns/c5/memory.oom_control", oomControl(0));
        LinkedBlockingQueue<String> reported = new LinkedBlockingQueue<>();
        OomWatcher watcher = new OomWatcher(reported::add, Duration.ofHours(1), procRoot, dir.resolve("cgroup"));
        watcher.watch("c5", 12);
        Files.writeString(file, oomControl(1));
        watcher.checkNow("c5");
        watcher.checkNow("c5");
        watcher.forget("c5");
        assertEquals(List.of("c5"), List.copyOf(reported));
    }

    @Test
    void watch_removedCgroup_isSkippedUntilForgotten() throws Exception {
        Path procRoot = proc(11, "4:memory:/ns/c4\n");
        Path file = write("memory/ns/c4/memory.oom_control", oomControl(0));
        LinkedBlockingQueue<String> reported = new LinkedBlockingQueue<>();
        OomWatcher watcher = new OomWatcher(reported::add, Duration.ofMillis(10), procRoot, dir.resolve("cgroup"));
        watcher.watch("c4", 11);
        Files.delete(file);
        Thread.sleep(50);
        watcher.forget("c4");
        assertTrue(reported.isEmpty());
    }
}
