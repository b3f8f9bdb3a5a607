package dev.berth.shim.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.sys.LinuxSyscalls;
import dev.berth.sys.Syscalls;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link FifoWatch} and the stdin copier it holds back ({@link ProcessIo}), on real FIFOs. */
class FifoWatchTest {
    private final Syscalls sys = LinuxSyscalls.loadBuilt();
    private final List<Integer> fds = new ArrayList<>();
    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        dir = Files.createTempDirectory("fifo-watch");
    }

    @AfterEach
    void tearDown() throws Exception {
        fds.forEach(sys::close);
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    @Test
    void watch_firesOnceWhenTheFifoHasData_notBefore() throws Exception {
        String fifo = fifo("a");
        int writer = keep(sys.open(fifo, Syscalls.O_RDWR, 0));
        CountDownLatch fired = new CountDownLatch(1);
        FifoWatch watch = new FifoWatch(sys);
        watch.watch(fifo, fired::countDown);

        assertFalse(fired.await(200, TimeUnit.MILLISECONDS), "fired with nothing written");
        sys.writeFully(writer, "x".getBytes(StandardCharsets.UTF_8));
        assertTrue(fired.await(5, TimeUnit.SECONDS), "did not fire once written");
        byte[] buf = new byte[1];
        assertEquals(1, sys.read(writer, buf, 0, 1), "the data stays for the copier");
        assertThreadEnds();
    }

    @Test
    void cancel_beforeData_neverFiresAndEndsTheThread() throws Exception {
        String fifo = fifo("b");
        int writer = keep(sys.open(fifo, Syscalls.O_RDWR, 0));
        CountDownLatch fired = new CountDownLatch(1);
        FifoWatch watch = new FifoWatch(sys);
        FifoWatch.Watch w = watch.watch(fifo, fired::countDown);

        assertTrue(w.cancel());
        assertFalse(w.cancel(), "cancelled twice");
        sys.writeFully(writer, "x".getBytes(StandardCharsets.UTF_8));
        assertFalse(fired.await(200, TimeUnit.MILLISECONDS), "fired after cancel");
        assertThreadEnds();
    }

    @Test
    void manyFifos_onlyTheWrittenOneFires_onOneThread() throws Exception {
        FifoWatch watch = new FifoWatch(sys);
        List<FifoWatch.Watch> watches = new ArrayList<>();
        List<Integer> writers = new ArrayList<>();
        CountDownLatch fired = new CountDownLatch(1);
        int[] which = {-1};
        for (int i = 0; i < 20; i++) {
            String fifo = fifo("m" + i);
            writers.add(keep(sys.open(fifo, Syscalls.O_RDWR, 0)));
            int n = i;
            watches.add(watch.watch(fifo, () -> {
                which[0] = n;
                fired.countDown();
            }));
        }
        assertEquals(1, watchThreads());
        sys.writeFully(writers.get(13), "x".getBytes(StandardCharsets.UTF_8));
        assertTrue(fired.await(5, TimeUnit.SECONDS));
        assertEquals(13, which[0]);
        for (int i = 0; i < watches.size(); i++) {
            assertEquals(i != 13, watches.get(i).cancel(), "watch " + i);
        }
        assertThreadEnds();
    }

    /** Before: every process with a stdin FIFO had a copier thread blocked in its read from the start. */
    @Test
    void processIo_stdinCopierStartsOnlyOnceWrittenTo_andCopiesIntoTheProcessPipe() throws Exception {
        String stdin = fifo("stdin");
        try (ProcessIo io = openWatched(stdin)) {
            int processEnd = processStdin(io);
            assertEquals(0, copiers(), "a copier before anything was written");

            int client = keep(sys.open(stdin, Syscalls.O_WRONLY, 0));
            sys.writeFully(client, "hello".getBytes(StandardCharsets.UTF_8));
            byte[] buf = new byte[5];
            int n = 0;
            while (n < 5) {
                n += sys.read(processEnd, buf, n, 5 - n);
            }
            assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), buf);
            assertEquals(1, copiers());
        }
        assertThreadEnds();
    }

    @Test
    void processIo_closeStdinWithoutData_endsTheProcessInput() throws Exception {
        try (ProcessIo io = openWatched(fifo("stdin"))) {
            int processEnd = processStdin(io);
            io.closeStdin();
            assertEquals(0, sys.read(processEnd, new byte[1], 0, 1), "the process's stdin did not end");
        }
        assertThreadEnds();
    }

    /** A process's streams without a terminal, its stdin from the FIFO at {@code stdin}, watched. */
    private ProcessIo openWatched(String stdin) {
        return ProcessIo.open(sys, new FifoWatch(sys), new ProcessIo.Request(stdin, "", "", false, "ns", "c1"),
                "create c1");
    }

    /** The process's end of its stdin pipe. */
    private static int processStdin(ProcessIo io) {
        return ((dev.berth.shim.engine.ProcessStdio.Stream.Fd) io.stdio().in()).fd();
    }

    private String fifo(String name) {
        String path = dir.resolve(name).toString();
        sys.mkfifo(path, 0600);
        return path;
    }

    private int keep(int fd) {
        fds.add(fd);
        return fd;
    }

    private static long watchThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("fifo-watch") && t.isAlive()).count();
    }

    private static long copiers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("stdin create") && t.isAlive()).count();
    }

    private static void assertThreadEnds() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (watchThreads() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, watchThreads(), "the watch's thread is still running");
    }
}
