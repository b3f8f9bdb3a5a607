package dev.berth.manager.engine;

import dev.berth.log.Log;
import dev.berth.manager.task.Stdio;
import dev.berth.sys.FdSyscalls;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ExecutionException;

/**
 * The standard streams of one process (a container's init or an exec): FIFOs in the engine's per-container
 * directory ({@code <prefix>-stdin}, {@code -stdout}, {@code -stderr}) for the shim to open, and the threads that
 * read their output. Opening a FIFO blocks until the other end opens, so each is opened on its own thread, started
 * before the task is created; {@link #close} unblocks those still waiting by opening the other end itself.
 * Those threads are platform threads: a virtual thread blocked in {@code open(2)} of a FIFO pins its carrier, and
 * two of them took both carriers of a 2-CPU machine (the shim launcher's own readers then never ran).
 */
final class ProcessIo implements AutoCloseable {
    private static final Log LOG = Log.of(ProcessIo.class);

    private final Path stdinFifo;
    private final Path stdoutFifo;
    private final Path stderrFifo;
    private final boolean terminal;
    private final List<Thread> readers = new ArrayList<>();
    private final CompletableFuture<OutputStream> stdin = new CompletableFuture<>();
    private volatile boolean closed;

    private ProcessIo(Path stdinFifo, Path stdoutFifo, Path stderrFifo, boolean terminal) {
        this.stdinFifo = stdinFifo;
        this.stdoutFifo = stdoutFifo;
        this.stderrFifo = stderrFifo;
        this.terminal = terminal;
    }

    /**
     * Creates the FIFOs (or finds them, for a process found running after berthd restarted): stdin only when
     * {@code withStdin}, stderr only without a terminal.
     */
    static ProcessIo create(FdSyscalls sys, Path dir, String prefix, boolean withStdin, boolean terminal)
            throws IOException {
        Files.createDirectories(dir);
        Path in = withStdin ? fifo(sys, dir.resolve(prefix + "-stdin")) : null;
        Path out = fifo(sys, dir.resolve(prefix + "-stdout"));
        Path err = terminal ? null : fifo(sys, dir.resolve(prefix + "-stderr"));
        return new ProcessIo(in, out, err, terminal);
    }

    private static Path fifo(FdSyscalls sys, Path p) {
        if (!Files.exists(p)) {
            sys.mkfifo(p.toString(), 0600);
        }
        return p;
    }

    /** What the shim opens. */
    Stdio stdio() {
        return new Stdio(stdinFifo == null ? "" : stdinFifo.toString(), stdoutFifo.toString(),
                stderrFifo == null ? "" : stderrFifo.toString(), terminal);
    }

    /** Starts reading the output into {@code output} and opening stdin for writing. */
    void start(ProcessOutput output) {
        readers.add(reader(stdoutFifo, OutputStreamKind.STDOUT, output));
        if (stderrFifo != null) {
            readers.add(reader(stderrFifo, OutputStreamKind.STDERR, output));
        }
        if (stdinFifo != null) {
            Thread.ofPlatform().daemon().name("stdin-" + stdinFifo.getFileName()).start(() -> {
                try {
                    OutputStream s = Files.newOutputStream(stdinFifo);
                    if (!stdin.complete(s)) {
                        s.close();
                    }
                } catch (IOException e) {
                    stdin.completeExceptionally(e);
                }
            });
        }
    }

    private Thread reader(Path fifo, OutputStreamKind kind, ProcessOutput output) {
        return Thread.ofPlatform().daemon().name("output-" + fifo.getFileName()).start(() -> {
            // a FileChannel: interrupting the thread closes it without taking what is still in the pipe
            try (FileChannel in = FileChannel.open(fifo, StandardOpenOption.READ)) {
                ByteBuffer buf = ByteBuffer.allocate(32 * 1024);
                for (int n; (n = in.read(buf)) >= 0 && !closed; buf.clear()) {
                    if (n > 0) {
                        output.chunk(kind, java.util.Arrays.copyOf(buf.array(), n));
                    }
                }
            } catch (java.nio.channels.ClosedByInterruptException e) {
                LOG.debug("output reader detached", "fifo", fifo);
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("read process output", e, "fifo", fifo);
                }
            }
        });
    }

    /** The process's stdin once the shim opened it; empty if it has none or it is not open within the wait. */
    java.util.Optional<OutputStream> stdin(Duration wait) {
        if (stdinFifo == null) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(stdin.get(wait.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException | ExecutionException e) {
            return java.util.Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        }
    }

    /** Closes the engine's end of stdin (the process reads end-of-file once the shim closes its end too). */
    void closeStdin() {
        if (stdinFifo == null) {
            return;
        }
        if (!stdin.isDone()) {
            stdin.cancel(false);
            return;
        }
        stdin.thenAccept(s -> {
            try {
                s.close();
            } catch (IOException e) {
                LOG.debug("close stdin", "fifo", stdinFifo, "error", e.getMessage());
            }
        });
    }

    /** Waits until the shim closed the output FIFOs (the process and every holder of its output exited). */
    boolean awaitDrained(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread t : readers) {
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            if (!t.join(Duration.ofMillis(left))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Stops reading but leaves the FIFOs to the shim, for berthd's close while the process runs on: the next
     * berthd opens them again.
     */
    void detach() {
        closed = true;
        readers.forEach(Thread::interrupt);
    }

    /** Stops reading, unblocks what still waits for the other end, and removes the FIFOs. */
    @Override
    public void close() {
        closed = true;
        for (Path p : new Path[] {stdoutFifo, stderrFifo}) {
            if (p != null) {
                unblock(p, true);
            }
        }
        if (stdinFifo != null) {
            if (!stdin.isDone()) {
                unblock(stdinFifo, false);
            }
            closeStdin();
        }
        for (Thread t : readers) {
            try {
                t.join(Duration.ofSeconds(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Path p : new Path[] {stdinFifo, stdoutFifo, stderrFifo}) {
            if (p != null) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.debug("remove fifo", "fifo", p, "error", e.getMessage());
                }
            }
        }
    }

    /** Opens the other end without blocking (O_RDWR on a FIFO never waits) and closes it. */
    private static void unblock(Path fifo, boolean reading) {
        try (var ch = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            LOG.debug("fifo other end opened", "fifo", fifo, "reading", reading);
        } catch (IOException e) {
            LOG.debug("unblock fifo", "fifo", fifo, "error", e.getMessage());
        }
    }
}
