package dev.berth.shim.io;

import dev.berth.sys.Errno;
import dev.berth.sys.SyscallException;
import dev.berth.sys.Syscalls;
import dev.berth.shim.engine.ProcessStdio;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The standard streams of one process for as long as the shim serves it, set up from the strings a client passes
 * (see {@link StreamUri}), in two phases: {@link #open} before the runtime creates the process, giving the
 * {@link #stdio()} and {@link #consoleSocket()} to hand it; {@link #handOff()} once it has, closing the shim's copies
 * of what the process now holds and, with a terminal, receiving the pty master and copying through it.
 *
 * <pre>
 *   no terminal:  stdin FIFO ─copier─▶ pipe ─▶ process      (so that CloseIO can end the process's input)
 *                 process ─▶ stdout/stderr FIFO, file, or logger pipe   (direct)
 *   terminal:     stdin FIFO ─copier─▶ pty master ─copier─▶ stdout FIFO, file, or logger pipe
 * </pre>
 *
 * <p>Opening a FIFO for writing blocks until a reader exists, and a reader opened while no writer exists sees end of
 * file at once. So each FIFO is first opened read-write (which never blocks and is both a reader and a writer),
 * then in its proper direction (which then cannot block). For an output FIFO the read-write fd is closed at once,
 * so a broken pipe behaves as with the client alone on the other side. For the stdin FIFO it is kept until CloseIO:
 * it stands for the client's writer, as containerd's shim keeps one, so that the copier sees end of file only once
 * the client has closed its end and asked for CloseIO.
 */
public final class ProcessIo implements AutoCloseable {
    private static final Duration CONSOLE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(2);
    /** VEOF of a terminal in canonical mode: what a person types to end a terminal's input. */
    private static final byte[] END_OF_INPUT = {4};

    /** What the client asked for, and whose process it is (the environment of a logging binary). */
    public record Request(String stdin, String stdout, String stderr, boolean terminal, String namespace,
                          String containerId) {}

    private final Syscalls sys;
    /** Where the stdin copier waits for the FIFO to have something to read; null: the copier starts at once. */
    private final FifoWatch stdinFifos;
    private final String what;
    private final boolean terminal;
    private final List<Integer> handedOn = new ArrayList<>();
    private ProcessStdio stdio = ProcessStdio.none();
    private int stdinKeep = -1;
    private FileChannel stdinFifo;
    private int stdinPipe = -1;
    private int output = -1;
    private BinaryLogger logger;
    private ConsoleListener console;
    private SharedFd master;
    private Copier stdinCopier;
    /** The stdin copier's wait for the FIFO to be readable, until it ends. */
    private FifoWatch.Watch stdinWatch;
    private boolean closing;
    private Copier outputCopier;

    private ProcessIo(Syscalls sys, FifoWatch stdinFifos, boolean terminal, String what) {
        this.sys = sys;
        this.stdinFifos = stdinFifos;
        this.terminal = terminal;
        this.what = what;
    }

    /** Sets up the streams; {@code what} names the process in errors, as {@code create c1}. */
    public static ProcessIo open(Syscalls sys, Request r, String what) {
        return open(sys, null, r, what);
    }

    /**
     * {@link #open(Syscalls, Request, String)}; without a terminal, the copier from the stdin FIFO starts only
     * once the FIFO has something to read (or at CloseIO), waiting on {@code stdinFifos} meanwhile instead of on
     * a thread of its own: most stdin FIFOs are never written to.
     */
    public static ProcessIo open(Syscalls sys, FifoWatch stdinFifos, Request r, String what) {
        ProcessIo io = new ProcessIo(sys, stdinFifos, r.terminal(), what);
        try {
            io.setUp(r);
            return io;
        } catch (RuntimeException e) {
            io.close();
            throw e;
        }
    }

    private void setUp(Request r) {
        StreamUri out = StreamUri.parse(r.stdout(), "stdout of " + what);
        StreamUri err = StreamUri.parse(r.stderr(), "stderr of " + what);
        if (out instanceof StreamUri.Binary b) {
            logger = BinaryLogger.start(sys, b, r.namespace(), r.containerId());
        }
        if (terminal) {
            console = ConsoleListener.open(sys, what);
            openStdinFifo(r.stdin());
            output = logger != null ? logger.takeStdout() : openOutput(out, "stdout");
            if (logger != null) {
                logger.closeStderr();
            }
            return;
        }
        ProcessStdio.Stream in = ProcessStdio.NULL;
        if (!r.stdin().isEmpty()) {
            openStdinFifo(r.stdin());
            int[] pipe = sys.pipe();
            handedOn.add(pipe[0]);
            stdinPipe = pipe[1];
            in = new ProcessStdio.Stream.Fd(pipe[0]);
            if (stdinFifos == null) {
                startStdinCopier(this::writeStdinPipe, this::endStdinPipe);
            } else {
                stdinWatch = stdinFifos.watch(r.stdin(), this::startWaitingCopier);
            }
        }
        ProcessStdio.Stream o = logger != null ? new ProcessStdio.Stream.Fd(logger.stdout()) : direct(out, "stdout");
        ProcessStdio.Stream e = logger != null ? new ProcessStdio.Stream.Fd(logger.stderr()) : direct(err, "stderr");
        stdio = new ProcessStdio(in, o, e);
    }

    private ProcessStdio.Stream direct(StreamUri uri, String name) {
        if (uri instanceof StreamUri.None) {
            return ProcessStdio.NULL;
        }
        int fd = openOutput(uri, name);
        handedOn.add(fd);
        return new ProcessStdio.Stream.Fd(fd);
    }

    /** An fd writing to a FIFO or appending to a file; -1 for none. */
    private int openOutput(StreamUri uri, String name) {
        return switch (uri) {
            case StreamUri.None n -> -1;
            case StreamUri.Fifo f -> openFifo(f.path(), Syscalls.O_WRONLY, name);
            case StreamUri.File f -> openFile(f.path(), name);
            case StreamUri.Binary b -> throw new StdioException("open " + name + " of " + what
                    + ": a logging binary is only supported for stdout (which takes stderr too)");
        };
    }

    private int openFile(Path file, String name) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
        } catch (IOException e) {
            throw new StdioException("open " + name + " of " + what + ": " + e.getMessage(), e);
        }
        try {
            return sys.open(file.toString(), Syscalls.O_WRONLY | Syscalls.O_CREAT | Syscalls.O_APPEND, 0640);
        } catch (SyscallException e) {
            throw new SyscallException("open " + name + " of " + what, file.toString(), e.errno());
        }
    }

    /** Opens a FIFO in a direction without blocking. */
    private int openFifo(String path, int direction, String name) {
        int both = openOrFail(path, Syscalls.O_RDWR, name);
        try {
            return openOrFail(path, direction, name);
        } finally {
            sys.close(both);
        }
    }

    private int openOrFail(String path, int flags, String name) {
        try {
            return sys.open(path, flags, 0);
        } catch (SyscallException e) {
            throw new SyscallException("open " + name + " of " + what, path, e.errno());
        }
    }

    /**
     * Opens the stdin FIFO for the copier as a JDK channel: closing a {@link FileChannel} wakes a thread blocked in
     * its read (the JDK signals it), which a plain fd cannot do, and the copier must end on Delete even while the
     * client keeps its writer open.
     */
    private void openStdinFifo(String path) {
        if (path.isEmpty()) {
            return;
        }
        stdinKeep = openOrFail(path, Syscalls.O_RDWR, "stdin");
        try {
            stdinFifo = FileChannel.open(Path.of(path), StandardOpenOption.READ);
        } catch (IOException e) {
            throw new StdioException("open stdin of " + what + ": " + path + ": " + e.getMessage(), e);
        }
    }

    private void startStdinCopier(Copier.Sink sink, Runnable atEnd) {
        FileChannel in = stdinFifo;
        stdinCopier = Copier.start("stdin " + what, buf -> in.read(ByteBuffer.wrap(buf)), sink, () -> {
            atEnd.run();
            closeStdinFifo();
        });
    }

    /** The stdin FIFO became readable: its copier starts, unless the streams are being closed. */
    private synchronized void startWaitingCopier() {
        stdinWatch = null;
        if (!closing && stdinCopier == null) {
            startStdinCopier(this::writeStdinPipe, this::endStdinPipe);
        }
    }

    private void writeStdinPipe(byte[] buf, int len) {
        sys.writeFully(stdinPipe, java.util.Arrays.copyOf(buf, len));
    }

    private void endStdinPipe() {
        sys.close(stdinPipe);
    }

    /** The streams to hand to the runtime: valid until {@link #handOff()}. */
    public ProcessStdio stdio() {
        return stdio;
    }

    /** Where the runtime sends the pty master, for a process with a terminal. */
    public Optional<Path> consoleSocket() {
        return console == null ? Optional.empty() : Optional.of(console.path());
    }

    /**
     * Called once the runtime has created the process: closes the shim's copies of the fds the process now holds
     * and, with a terminal, receives the master and starts copying through it.
     */
    public synchronized void handOff() {
        for (int fd : handedOn) {
            sys.close(fd);
        }
        handedOn.clear();
        if (logger != null) {
            logger.close();
        }
        if (console == null) {
            return;
        }
        try {
            master = new SharedFd(sys, console.receiveMaster(CONSOLE_TIMEOUT));
        } catch (SyscallException e) {
            throw new StdioException("receive console of " + what + ": " + e.getMessage(), e);
        } finally {
            console.close();
            console = null;
        }
        SharedFd m = master;
        if (stdinFifo != null) {
            startStdinCopier((buf, len) -> writeMaster(m, java.util.Arrays.copyOf(buf, len)),
                    () -> writeMaster(m, END_OF_INPUT));
        }
        m.acquire();
        int out = output;
        output = -1;
        outputCopier = Copier.start("console " + what, buf -> readMaster(m, buf),
                (buf, len) -> {
                    if (out >= 0) {
                        sys.writeFully(out, java.util.Arrays.copyOf(buf, len));
                    }
                }, () -> {
                    if (out >= 0) {
                        sys.close(out);
                    }
                    m.release();
                });
    }

    private int readMaster(SharedFd m, byte[] buf) {
        try {
            int n = sys.read(m.fd(), buf, 0, buf.length);
            return n == 0 ? -1 : n;
        } catch (SyscallException e) {
            if (e.errno() == Errno.EIO) {
                return -1; // every holder of the terminal has closed it: the process is gone
            }
            throw e;
        }
    }

    private void writeMaster(SharedFd m, byte[] bytes) {
        if (!m.acquire()) {
            return;
        }
        try {
            sys.writeFully(m.fd(), bytes);
        } catch (SyscallException e) {
            // the terminal is gone: input has nowhere to go
        } finally {
            m.release();
        }
    }

    /** Sets the terminal's window size; nothing for a process without a terminal, as in containerd. */
    public void resize(int width, int height) {
        SharedFd m;
        synchronized (this) {
            m = master;
        }
        if (m == null || !m.acquire()) {
            return;
        }
        try {
            sys.setWindowSize(m.fd(), height, width);
        } finally {
            m.release();
        }
    }

    /** CloseIO: lets the stdin copier see end of file once the client has closed its end too. */
    public synchronized void closeStdin() {
        if (stdinKeep >= 0) {
            sys.close(stdinKeep);
            stdinKeep = -1;
        }
        // a copier still waiting starts now: it reads what the client wrote, or the end of file
        if (!closing && stdinWatch != null && stdinWatch.cancel()) {
            stdinWatch = null;
            startStdinCopier(this::writeStdinPipe, this::endStdinPipe);
        }
    }

    private synchronized void closeStdinFifo() {
        if (stdinFifo != null) {
            try {
                stdinFifo.close();
            } catch (IOException e) {
                // a FIFO reader: closing cannot lose data
            }
        }
    }

    /**
     * Ends the streams: waits a little for the output copier to drain what the process wrote (as containerd's shim
     * does on Delete), then stops the stdin copier and closes every fd left.
     */
    @Override
    public void close() {
        Copier out;
        Copier in;
        synchronized (this) {
            closing = true;
            if (stdinWatch != null) {
                stdinWatch.cancel(); // if it had fired, startWaitingCopier sees closing
                stdinWatch = null;
            }
            out = outputCopier;
            in = stdinCopier;
        }
        if (out != null) {
            out.await(DRAIN_TIMEOUT);
        }
        synchronized (this) {
            closeStdin();
            for (int fd : handedOn) {
                sys.close(fd);
            }
            handedOn.clear();
            if (stdinCopier == null && stdinFifo != null) {
                closeStdinFifo();
            }
            if (stdinCopier == null && stdinPipe >= 0) {
                endStdinPipe();
            }
            if (output >= 0) {
                sys.close(output);
                output = -1;
            }
            if (logger != null) {
                logger.close();
            }
            if (console != null) {
                console.close();
                console = null;
            }
        }
        if (in != null) {
            closeStdinFifo();
            in.await(DRAIN_TIMEOUT);
        }
        synchronized (this) {
            if (master != null) {
                master.close();
            }
        }
    }
}
