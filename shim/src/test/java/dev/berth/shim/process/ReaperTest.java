package dev.berth.shim.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.sys.Errno;
import dev.berth.sys.LinuxSyscalls;
import dev.berth.sys.SyscallException;
import dev.berth.sys.Syscalls;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reaper with real short-lived children of the test JVM. */
class ReaperTest {
    private final Syscalls sys = LinuxSyscalls.loadBuilt();
    private final LinkedBlockingQueue<Reaper.Exit> orphans = new LinkedBlockingQueue<>();
    private final List<Integer> started = new ArrayList<>();
    private Reaper reaper;

    @BeforeEach
    void startReaper() {
        reaper = Reaper.start(sys, orphans::add);
    }

    @AfterEach
    void stopReaper() throws InterruptedException {
        for (int pid : started) {
            try {
                sys.kill(pid, 9);
            } catch (SyscallException e) {
                // already gone (and reaped)
            }
        }
        reaper.close();
        for (int pid : started) {
            try {
                sys.waitpid(pid, false);
            } catch (SyscallException e) {
                // reaped by the reaper
            }
        }
    }

    private int spawn(String... argv) {
        int pid = sys.spawn(argv[0], List.of(argv), List.of(), Map.of());
        started.add(pid);
        return pid;
    }

    private static Reaper.Exit await(CompletableFuture<Reaper.Exit> exit) throws Exception {
        return exit.get(10, TimeUnit.SECONDS);
    }

    @Test
    void claim_exitCode() throws Exception {
        CompletableFuture<Reaper.Exit> exit;
        int pid;
        try (Reaper.Window window = reaper.open()) {
            pid = spawn("/bin/sh", "-c", "exit 3");
            exit = window.claim(pid);
        }
        Reaper.Exit e = await(exit);
        assertEquals(pid, e.pid());
        assertEquals(3, e.exitCode());
        assertEquals(0, e.signal());
        assertEquals(3, e.status());
    }

    @Test
    void claim_quickExitWhileTheReaperIdles_isReportedAtOnce() throws Exception {
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Thread.sleep(20); // no child: the reaper idles
            long t0 = System.nanoTime();
            CompletableFuture<Reaper.Exit> exit;
            try (Reaper.Window window = reaper.open()) {
                exit = window.claim(spawn("/bin/true"));
            }
            await(exit);
            millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        }
        millis.sort(null);
        // the idle sleep is 50 ms: a reaper that looked before the child existed would sleep through its exit
        assertTrue(millis.get(2) < 25, "median ms from spawn to reaped exit: " + millis);
    }

    @Test
    void claim_killedBySignal() throws Exception {
        CompletableFuture<Reaper.Exit> exit;
        int pid;
        try (Reaper.Window window = reaper.open()) {
            pid = spawn("/bin/sleep", "100");
            exit = window.claim(pid);
        }
        assertFalse(exit.isDone());
        sys.kill(pid, 9);
        Reaper.Exit e = await(exit);
        assertEquals(9, e.signal());
        assertEquals(137, e.status());
    }

    @Test
    void claim_childExitedBeforeClaim() throws Exception {
        try (Reaper.Window window = reaper.open()) {
            int pid = spawn("/bin/sh", "-c", "exit 5");
            // the reaper collects the exit while the window is open; the claim finds it held
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (sys.processExists(pid) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            Thread.sleep(50);
            Reaper.Exit e = await(window.claim(pid));
            assertEquals(5, e.status());
        }
        assertTrue(orphans.isEmpty());
    }

    @Test
    void orphans_unclaimedExit() throws Exception {
        int pid = spawn("/bin/sh", "-c", "exit 7");
        Reaper.Exit e = orphans.poll(10, TimeUnit.SECONDS);
        assertEquals(pid, e.pid());
        assertEquals(7, e.status());
    }

    @Test
    void orphans_heldUntilTheLastWindowCloses() throws Exception {
        int pid;
        try (Reaper.Window window = reaper.open()) {
            pid = spawn("/bin/sh", "-c", "exit 4");
            Thread.sleep(200);
            assertTrue(orphans.isEmpty());
        }
        assertEquals(pid, orphans.poll(10, TimeUnit.SECONDS).pid());
    }

    @Test
    void reaperSyscalls_waitpidWaitsThroughTheReaper() {
        ReaperSyscalls reaping = new ReaperSyscalls(sys, reaper);
        int pid = reaping.spawn("/bin/sh", List.of("sh", "-c", "exit 6"), List.of(), Map.of());
        started.add(pid);
        Syscalls.ExitStatus status = reaping.waitpid(pid, false).orElseThrow();
        assertEquals(6, status.exitCode());
        SyscallException e = assertThrows(SyscallException.class, () -> reaping.waitpid(pid, true));
        assertEquals(Errno.ECHILD, e.errno());
    }

    @Test
    void reaperSyscalls_noHangWhileRunning() {
        ReaperSyscalls reaping = new ReaperSyscalls(sys, reaper);
        int pid = reaping.spawn("/bin/sleep", List.of("sleep", "100"), List.of(), Map.of());
        started.add(pid);
        assertTrue(reaping.waitpid(pid, true).isEmpty());
        sys.kill(pid, 15);
        assertEquals(15, reaping.waitpid(pid, false).orElseThrow().signal());
    }

    @Test
    void close_whileAChildIsRunning() throws Exception {
        try (Reaper.Window window = reaper.open()) {
            window.claim(spawn("/bin/sleep", "100"));
        }
        long t0 = System.nanoTime();
        reaper.close();
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5), "close returns while a child runs");
        assertThrows(IllegalStateException.class, reaper::open);
    }
}
