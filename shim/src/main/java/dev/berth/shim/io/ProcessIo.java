package dev.berth.shim.io;

import dev.berth.runtime.syscall.SyscallException;
import dev.berth.runtime.syscall.Syscalls;
import dev.berth.shim.engine.Stdio;
import java.util.ArrayList;
import java.util.List;

/**
 * The standard streams of one process as fds of the shim, opened from the paths a client passes (FIFOs, or files;
 * an empty path is {@code /dev/null}), held only until the runtime has handed them to the process.
 *
 * <p>Opening a FIFO for writing blocks until a reader exists, and a reader opened while no writer exists sees end of
 * file at once. So each FIFO is first opened read-write (which never blocks and is both a reader and a writer),
 * then opened in its proper direction (which then cannot block), and the read-write fd is closed: the process gets
 * a plain blocking fd, and end of file and broken pipes behave as with the client alone on the other side.
 */
public final class ProcessIo implements AutoCloseable {
    private final Syscalls sys;
    private final List<Integer> fds = new ArrayList<>();
    private final Stdio stdio;

    private ProcessIo(Syscalls sys, String stdin, String stdout, String stderr, String what) {
        this.sys = sys;
        try {
            this.stdio = new Stdio(open(stdin, Syscalls.O_RDONLY, what, "stdin"),
                    open(stdout, Syscalls.O_WRONLY, what, "stdout"), open(stderr, Syscalls.O_WRONLY, what, "stderr"));
        } catch (SyscallException e) {
            close();
            throw e;
        }
    }

    /** Opens the three paths; {@code what} names the process in errors, as {@code create c1}. */
    public static ProcessIo open(Syscalls sys, String stdin, String stdout, String stderr, String what) {
        return new ProcessIo(sys, stdin, stdout, stderr, what);
    }

    /** The streams to hand to the runtime; valid until {@link #close()}. */
    public Stdio stdio() {
        return stdio;
    }

    private Stdio.Stream open(String path, int direction, String what, String name) {
        if (path == null || path.isEmpty()) {
            return Stdio.NULL;
        }
        int both = sys.open(path, Syscalls.O_RDWR, 0);
        try {
            int fd = sys.open(path, direction, 0);
            fds.add(fd);
            return new Stdio.Stream.Fd(fd);
        } catch (SyscallException e) {
            throw new SyscallException("open " + name + " of " + what, path, e.errno());
        } finally {
            sys.close(both);
        }
    }

    @Override
    public void close() {
        for (int fd : fds) {
            sys.close(fd);
        }
        fds.clear();
    }
}
