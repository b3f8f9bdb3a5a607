package dev.berth.cli.container;

import dev.berth.sys.FdSyscalls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The stdio of an attached process: FIFOs the CLI creates (as ctr does under its fifo dir) for the shim to open,
 * and the threads that copy between them and the CLI's own streams. The output is also appended to the
 * container's log, so that {@code berth logs} shows an attached run afterwards. With a terminal the shim sends the
 * pty's output on stdout alone.
 *
 * <p>Opening a FIFO blocks until its other end opens, so each copy opens its FIFO on its own thread, started before
 * the task is created; the shim opens the other ends while it creates the process.
 */
public final class AttachedStdio implements AutoCloseable {
    private final Path dir;
    private final boolean stdin;
    private final boolean terminal;
    private final OutputStream log;
    private final List<Thread> outputs = new ArrayList<>();
    private final java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);

    private AttachedStdio(Path dir, boolean stdin, boolean terminal, OutputStream log) {
        this.dir = dir;
        this.stdin = stdin;
        this.terminal = terminal;
        this.log = log;
    }

    /** Creates the FIFOs in a new directory; {@code log}, if present, receives a copy of the output. */
    public static AttachedStdio create(FdSyscalls sys, String id, boolean stdin, boolean terminal, Path log)
            throws IOException {
        Path dir = Files.createTempDirectory("berth-fifo-" + id + "-");
        for (String name : List.of("stdin", "stdout", "stderr")) {
            sys.mkfifo(dir.resolve(name).toString(), 0600);
        }
        OutputStream logStream = Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return new AttachedStdio(dir, stdin, terminal, logStream);
    }

    public String stdinPath() {
        return stdin ? dir.resolve("stdin").toString() : "";
    }

    public String stdoutPath() {
        return dir.resolve("stdout").toString();
    }

    public String stderrPath() {
        return terminal ? "" : dir.resolve("stderr").toString();
    }

    public boolean terminal() {
        return terminal;
    }

    /**
     * Starts copying: the FIFOs' output to {@code out} and {@code err}, and, if stdin is attached, {@code in} to the
     * stdin FIFO. When {@code in} ends, {@code onStdinEnd} runs, once {@link #started()} is called: the shim keeps
     * its end of the stdin FIFO open, so the process sees end-of-file only when the daemon is told to close it
     * (CloseIO), which it refuses before the process exists.
     */
    public void start(InputStream in, OutputStream out, OutputStream err, Runnable onStdinEnd) {
        outputs.add(copyOut(dir.resolve("stdout"), out));
        if (!terminal) {
            outputs.add(copyOut(dir.resolve("stderr"), err));
        }
        if (stdin) {
            Thread t = new Thread(() -> {
                try (OutputStream fifo = Files.newOutputStream(dir.resolve("stdin"))) {
                    byte[] buf = new byte[8192];
                    for (int n; (n = in.read(buf)) >= 0; ) {
                        fifo.write(buf, 0, n);
                        fifo.flush();
                    }
                } catch (IOException e) {
                    // the process's stdin closed (it exited): nothing more to send
                    return;
                }
                try {
                    started.await();
                    onStdinEnd.run();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (io.grpc.StatusRuntimeException e) {
                    // the process exited meanwhile: its stdin is gone already
                }
            }, "stdin");
            t.setDaemon(true);
            t.start();
        }
    }

    /** The process has started: an ended stdin may now be closed through the daemon. */
    public void started() {
        started.countDown();
    }

    private Thread copyOut(Path fifo, OutputStream target) {
        Thread t = new Thread(() -> {
            try (InputStream from = Files.newInputStream(fifo)) {
                byte[] buf = new byte[8192];
                for (int n; (n = from.read(buf)) >= 0; ) {
                    target.write(buf, 0, n);
                    target.flush();
                    synchronized (log) {
                        log.write(buf, 0, n);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("copy " + fifo.getFileName() + ": " + e.getMessage(), e);
            }
        }, "copy-" + fifo.getFileName());
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Waits until the shim closed the output FIFOs (after the process exited), so that no output is lost. */
    public void awaitOutput(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread t : outputs) {
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            t.join(left);
        }
    }

    @Override
    public void close() throws IOException {
        log.close();
        for (String name : List.of("stdin", "stdout", "stderr")) {
            Files.deleteIfExists(dir.resolve(name));
        }
        Files.deleteIfExists(dir);
    }
}
