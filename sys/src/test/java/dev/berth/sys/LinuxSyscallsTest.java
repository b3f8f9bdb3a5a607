package dev.berth.sys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.NetworkInterface;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JNI binding against the real kernel: each call's result, and errors as op, object and errno. */
class LinuxSyscallsTest {
    private final Syscalls sys = LinuxSyscalls.loadBuilt();

    @TempDir
    Path tmp;

    @Test
    void socketpair_readWrite_roundTrip() {
        int[] pair = sys.socketpair();
        try {
            sys.writeFully(pair[0], "hello".getBytes(StandardCharsets.UTF_8));
            byte[] buf = new byte[16];
            int n = sys.read(pair[1], buf, 3, 10);
            assertEquals(5, n);
            assertEquals("hello", new String(buf, 3, n, StandardCharsets.UTF_8));
        } finally {
            sys.close(pair[0]);
            sys.close(pair[1]);
        }
    }

    @Test
    void spawn_mapsFdsAndWaitpidReportsExitCodeAndSignal() {
        int[] pipe = sys.pipe();
        int pid = sys.spawn("/bin/sh", List.of("sh", "-c", "echo out-$X; exit 3"), List.of("X=42"),
                Map.of(1, pipe[1]));
        sys.close(pipe[1]);
        byte[] buf = new byte[64];
        int n = sys.read(pipe[0], buf, 0, buf.length);
        sys.close(pipe[0]);
        assertEquals("out-42\n", new String(buf, 0, n, StandardCharsets.UTF_8));
        Syscalls.ExitStatus status = sys.waitpid(pid, false).orElseThrow();
        assertEquals(new Syscalls.ExitStatus(pid, 3, 0), status);

        int sleeper = sys.spawn("/bin/sleep", List.of("sleep", "30"), List.of(), Map.of());
        assertTrue(sys.waitpid(sleeper, true).isEmpty(), "still running: nothing to report with WNOHANG");
        sys.kill(sleeper, 9);
        assertEquals(137, sys.waitpid(sleeper, false).orElseThrow().shellStatus());
        assertFalse(sys.processExists(sleeper));
    }

    @Test
    void dup2_makesTheSecondFdACopyOfTheFirst() {
        int[] pipe = sys.pipe();
        int[] other = sys.pipe();
        try {
            sys.dup2(pipe[1], other[1]); // other[1]'s pipe loses its writer, other[1] now writes into pipe
            sys.writeFully(other[1], new byte[] {42});
            byte[] buf = new byte[1];
            assertEquals(1, sys.read(pipe[0], buf, 0, 1));
            assertEquals(42, buf[0]);
            assertEquals(0, sys.read(other[0], buf, 0, 1), "the replaced writer was closed: end of file");
        } finally {
            for (int fd : new int[] {pipe[0], pipe[1], other[0], other[1]}) {
                sys.close(fd);
            }
        }
    }

    @Test
    void setpriority_ofAProcessGroup_reachesEveryThreadOfIt() throws Exception {
        int[] pipe = sys.pipe();
        int[] ready = sys.pipe();
        // a group of its own (setsid(1) execs in place: the spawned child leads no group yet) whose shell says
        // so, then waits on stdin; its nice value is read from /proc
        int pid = sys.spawn("/usr/bin/setsid", List.of("setsid", "sh", "-c", "echo; read x"), List.of(),
                Map.of(0, pipe[0], 1, ready[1]));
        sys.close(pipe[0]);
        sys.close(ready[1]);
        try {
            assertEquals(1, sys.read(ready[0], new byte[1], 0, 1), "the shell runs in its own group");
            sys.setpriority(Syscalls.PRIO_PGRP, pid, 7);
            String[] stat = Files.readString(Path.of("/proc/" + pid + "/stat")).split(" ");
            assertEquals("7", stat[18], "field 19 of /proc/PID/stat: nice");
        } finally {
            sys.close(pipe[1]);
            sys.close(ready[0]);
            sys.waitpid(pid, false);
        }
    }

    @Test
    void errors_nameTheOperationTheObjectAndTheErrno() {
        SyscallException e = assertThrows(SyscallException.class,
                () -> sys.open(tmp.resolve("missing").toString(), Syscalls.O_RDONLY, 0));
        assertEquals("open " + tmp.resolve("missing") + ": no such file or directory", e.getMessage());
        assertEquals(Errno.ENOENT, e.errno());
        assertEquals(Errno.ESRCH, assertThrows(SyscallException.class, () -> sys.kill(999_999_999, 0)).errno());
        assertThrows(SyscallException.class, () -> sys.spawn("/nonexistent", List.of("x"), List.of(), Map.of()));
    }

    @Test
    void unixSockets_listenConnectAccept_andAPathTooLongForTheAddress() {
        String path = tmp.resolve("s.sock").toString();
        int listener = sys.listenUnix(path);
        int client = -1;
        int server = -1;
        try {
            client = sys.connectUnix(path);
            server = sys.acceptUnix(listener, 1000);
            assertEquals(Errno.ETIMEDOUT, assertThrows(SyscallException.class, () -> sys.acceptUnix(listener, 1))
                    .errno());
            assertEquals(98 /* EADDRINUSE */, assertThrows(SyscallException.class, () -> sys.listenUnix(path)).errno());
        } finally {
            for (int fd : new int[] {server, client, listener}) {
                if (fd >= 0) {
                    sys.close(fd);
                }
            }
        }
        String tooLong = tmp.resolve("x".repeat(120)).toString();
        SyscallException e = assertThrows(SyscallException.class, () -> sys.connectUnix(tooLong));
        assertEquals(36 /* ENAMETOOLONG */, e.errno());
        assertEquals("connect " + tooLong + ": file name too long", e.getMessage());
        assertEquals(Errno.ENOENT, assertThrows(SyscallException.class,
                () -> sys.connectUnix(tmp.resolve("gone.sock").toString())).errno());
    }

    @Test
    void sealedCopy_isReadableButCannotBeWritten() throws IOException {
        int fd = sys.sealedCopy("probe", new byte[] {1, 2, 3});
        try {
            Path proc = Path.of("/proc/self/fd/" + fd);
            assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(proc));
            assertThrows(IOException.class, () -> Files.write(proc, new byte[] {9}));
        } finally {
            sys.close(fd);
        }
    }

    @Test
    void mkfifo_andMount_onTheRealKernel() throws IOException {
        Path fifo = tmp.resolve("fifo");
        sys.mkfifo(fifo.toString(), 0600);
        assertTrue(Files.exists(fifo));
        Path target = Files.createDirectory(tmp.resolve("mnt"));
        sys.mount("tmpfs", target.toString(), "tmpfs", 0, "size=1m");
        try {
            assertTrue(Files.readString(Path.of("/proc/self/mountinfo")).contains(target.toString()));
        } finally {
            sys.unmount(target.toString(), 2);
        }
        assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(target.toString()));
    }

    private static byte[] u64(long value) {
        return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(value).array();
    }

    @Test
    void eventfd_writesAddUp_andAReadResetsTheCounter() {
        int fd = sys.eventfd();
        try {
            assertArrayEquals(new boolean[] {false}, sys.pollReadable(new int[] {fd}, 0), "counter 0: not readable");
            sys.writeFully(fd, u64(1));
            sys.writeFully(fd, u64(2));
            assertArrayEquals(new boolean[] {true}, sys.pollReadable(new int[] {fd}, -1));
            byte[] buf = new byte[8];
            assertEquals(8, sys.read(fd, buf, 0, 8));
            assertEquals(3, ByteBuffer.wrap(buf).order(ByteOrder.nativeOrder()).getLong());
            assertArrayEquals(new boolean[] {false}, sys.pollReadable(new int[] {fd}, 10));
        } finally {
            sys.close(fd);
        }
    }

    @Test
    void pollReadable_reportsOnlyTheReadyFd() {
        int[] idle = sys.pipe();
        int[] busy = sys.pipe();
        try {
            sys.writeFully(busy[1], new byte[] {7});
            assertArrayEquals(new boolean[] {false, true}, sys.pollReadable(new int[] {idle[0], busy[0]}, -1));
            sys.close(idle[1]);
            idle[1] = -1;
            assertArrayEquals(new boolean[] {true, true}, sys.pollReadable(new int[] {idle[0], busy[0]}, -1),
                    "a closed writer is end of file: readable");
        } finally {
            for (int fd : new int[] {idle[0], idle[1], busy[0], busy[1]}) {
                if (fd >= 0) {
                    sys.close(fd);
                }
            }
        }
    }

    @Test
    void inotify_modifiedFile_isReported_andRmWatchQueuesIgnored() throws IOException {
        Path file = Files.writeString(tmp.resolve("memory.events"), "oom_kill 0\n");
        int fd = sys.inotifyInit();
        try {
            int wd = sys.inotifyAddWatch(fd, file.toString(), Syscalls.IN_MODIFY);
            assertArrayEquals(new boolean[] {false}, sys.pollReadable(new int[] {fd}, 0));
            Files.writeString(file, "oom_kill 1\n");
            assertArrayEquals(new boolean[] {true}, sys.pollReadable(new int[] {fd}, -1));
            byte[] buf = new byte[4096];
            int n = sys.read(fd, buf, 0, buf.length);
            ByteBuffer event = ByteBuffer.wrap(buf, 0, n).order(ByteOrder.nativeOrder());
            assertEquals(wd, event.getInt(0), "struct inotify_event.wd");
            assertEquals(Syscalls.IN_MODIFY, event.getInt(4) & Syscalls.IN_MODIFY, "struct inotify_event.mask");

            sys.inotifyRmWatch(fd, wd);
            assertArrayEquals(new boolean[] {true}, sys.pollReadable(new int[] {fd}, -1), "IN_IGNORED queued");
            assertEquals(Errno.EINVAL, assertThrows(SyscallException.class, () -> sys.inotifyRmWatch(fd, wd))
                    .errno());
        } finally {
            sys.close(fd);
        }
    }

    @Test
    void createNetns_bringsItsLoopbackUp_andLeavesTheCallerWhereItWas() throws Exception {
        boolean hostLoUp = NetworkInterface.getByName("lo").isUp();
        Path target = Files.createFile(tmp.resolve("netns"));
        NetnsSyscalls netns = LinuxSyscalls.loadBuilt();
        netns.createNetns(target.toString());
        try {
            CompletableFuture<Boolean> up = new CompletableFuture<>();
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    netns.joinNetns(target.toString());
                    NetworkInterface lo = NetworkInterface.getByName("lo");
                    up.complete(lo != null && lo.isUp() && lo.inetAddresses().anyMatch(a -> a.isLoopbackAddress()));
                } catch (IOException | RuntimeException e) {
                    up.completeExceptionally(e);
                }
            });
            assertTrue(up.get(10, TimeUnit.SECONDS), "lo is up in the new namespace, with its addresses");
            assertEquals(hostLoUp, NetworkInterface.getByName("lo").isUp(), "the calling thread did not move");
        } finally {
            sys.unmount(target.toString(), 2 /* MNT_DETACH */);
        }
    }
}
