package dev.berth.shim.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.sys.LinuxSyscalls;
import dev.berth.sys.Syscalls;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OomWatcherTest {
    private final Syscalls sys = LinuxSyscalls.loadBuilt();

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

    /** A watcher over the fake tree whose thread the test ends, with its descriptors, in {@link #forgetAll}. */
    private OomWatcher watcher(LinkedBlockingQueue<String> reported) {
        return new OomWatcher(sys, reported::add, dir.resolve("proc"), dir.resolve("cgroup"));
    }

    /** The eventfd the watcher registered in a fake v1 cgroup, as the kernel would read it. */
    private static int registeredEventfd(Path cgroup) throws IOException {
        String registration = Files.readString(cgroup.resolve("cgroup.event_control"));
        assertTrue(registration.matches("\\d+ \\d+"), "\"<eventfd> <fd of memory.oom_control>\": " + registration);
        return Integer.parseInt(registration.split(" ")[0]);
    }

    /** What the kernel does on OOM in a v1 cgroup: adds 1 to every eventfd registered for it. */
    private void notifyOom(int eventfd) {
        sys.writeFully(eventfd, ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(1).array());
    }

    @Test
    void watch_v1_reportsOnTheEventfdNotification_notByPolling() throws Exception {
        proc(10, "4:memory:/ns/c3\n");
        Path file = write("memory/ns/c3/memory.oom_control", oomControl(2));
        write("memory/ns/c3/cgroup.event_control", "");
        LinkedBlockingQueue<String> reported = new LinkedBlockingQueue<>();
        OomWatcher watcher = watcher(reported);
        watcher.watch("c3", 10);
        try {
            int eventfd = registeredEventfd(file.getParent());
            Files.writeString(file, oomControl(3));
            assertEquals(null, reported.poll(300, TimeUnit.MILLISECONDS), "no notification, no look: no polling");

            notifyOom(eventfd);
            assertEquals("c3", reported.poll(5, TimeUnit.SECONDS));
            notifyOom(eventfd);
            Thread.sleep(150);
            assertEquals(List.of(), List.copyOf(reported), "a notification without a new kill reports nothing");
        } finally {
            watcher.forget("c3");
        }
    }

    @Test
    void watch_v1_killCountedAfterTheNotification_isReported() throws Exception {
        proc(13, "4:memory:/ns/c6\n");
        Path file = write("memory/ns/c6/memory.oom_control", oomControl(0));
        write("memory/ns/c6/cgroup.event_control", "");
        LinkedBlockingQueue<String> reported = new LinkedBlockingQueue<>();
        OomWatcher watcher = watcher(reported);
        watcher.watch("c6", 13);
        try {
            notifyOom(registeredEventfd(file.getParent()));
            Thread.sleep(20); // the kernel notifies, then picks a victim and counts the kill
            Files.writeString(file, oomControl(1));
            assertEquals("c6", reported.poll(5, TimeUnit.SECONDS));
        } finally {
            watcher.forget("c6");
        }
    }

    @Test
    void watch_v2_reportsWhenMemoryEventsIsModifiedWithMoreKills() throws Exception {
        write("cgroup.controllers", "memory pids\n");
        proc(14, "0::/ns/c7\n");
        Path file = write("ns/c7/memory.events", "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\n");
        LinkedBlockingQueue<String> reported = new LinkedBlockingQueue<>();
        OomWatcher watcher = watcher(reported);
        watcher.watch("c7", 14);
        try {
            Files.writeString(file, "low 0\nhigh 0\nmax 3\noom 1\noom_kill 0\n");
            assertEquals(null, reported.poll(200, TimeUnit.MILLISECONDS), "oom without a kill is not reported");
            Files.writeString(file, "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n");
            assertEquals("c7", reported.poll(5, TimeUnit.SECONDS));
        } finally {
            watcher.forget("c7");
        }
    }

    @Test
    void forget_last_endsTheThreadAndClosesItsDescriptors() throws Exception {
        write("cgroup.controllers", "memory\n");
        proc(15, "0::/ns/c8\n");
        proc(16, "0::/ns/c9\n");
        write("ns/c8/memory.events", "oom_kill 0\n");
        write("ns/c9/memory.events", "oom_kill 0\n");
        long fdsBefore = notificationFds();
        OomWatcher watcher = watcher(new LinkedBlockingQueue<>());
        watcher.watch("c8", 15);
        watcher.watch("c9", 16);
        assertEquals(1, oomThreads(), "one thread for all containers");
        assertEquals(fdsBefore + 2, notificationFds(), "inotify and the wake-up eventfd");
        watcher.forget("c8");
        assertEquals(1, oomThreads());
        watcher.forget("c9");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while ((oomThreads() != 0 || notificationFds() != fdsBefore) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, oomThreads(), "the thread ended");
        assertEquals(fdsBefore, notificationFds(), "its descriptors closed");
    }

    private static long oomThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("oom")).count();
    }

    private static long notificationFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    return ""; // closed meanwhile
                }
            }).filter(target -> target.equals("anon_inode:[eventfd]") || target.equals("anon_inode:inotify"))
                    .count();
        }
    }

    @Test
    void checkNow_killBeforeTheNotification_isReportedOnce() throws Exception {
        proc(12, "4:memory:/ns/c5\n");
        Path file = write("memory/ns/c5/memory.oom_control", oomControl(0));
        write("memory/ns/c5/cgroup.event_control", "");
        LinkedBlockingQueue<String> reported = new LinkedBlockingQueue<>();
        OomWatcher watcher = watcher(reported);
        watcher.watch("c5", 12);
        Files.writeString(file, oomControl(1));
        watcher.checkNow("c5");
        watcher.checkNow("c5");
        watcher.forget("c5");
        assertEquals(List.of("c5"), List.copyOf(reported));
    }

    @Test
    void watch_removedCgroup_isSkippedUntilForgotten() throws Exception {
        proc(11, "4:memory:/ns/c4\n");
        Path file = write("memory/ns/c4/memory.oom_control", oomControl(0));
        write("memory/ns/c4/cgroup.event_control", "");
        LinkedBlockingQueue<String> reported = new LinkedBlockingQueue<>();
        OomWatcher watcher = watcher(reported);
        watcher.watch("c4", 11);
        int eventfd = registeredEventfd(file.getParent());
        Files.delete(file);
        notifyOom(eventfd); // the kernel signals the eventfd when it removes the cgroup
        Thread.sleep(150);
        watcher.forget("c4");
        assertTrue(reported.isEmpty());
    }
}
