package dev.berth.shim.io;

import dev.berth.sys.SyscallException;
import dev.berth.sys.Syscalls;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A containerd logging binary ({@code binary://} stdio URI), started as containerd's runtime v2 logging protocol
 * says:
 *
 * <pre>
 *   shim                                   logger (argv from the URI's query; env CONTAINER_ID, CONTAINER_NAMESPACE)
 *   pipe → container's stdout   ──read──▶  fd 3
 *   pipe → container's stderr   ──read──▶  fd 4
 *   waits for end of file       ◀──close── fd 5   once ready; the container is created only then
 * </pre>
 *
 * The logger ends when both pipes reach end of file, that is when every holder of the write ends has exited; the
 * shim closes its own copies once the runtime has handed them on.
 */
final class BinaryLogger implements AutoCloseable {
    private final Syscalls sys;
    private final int pid;
    private int stdout;
    private int stderr;
    private boolean closed;

    private BinaryLogger(Syscalls sys, int pid, int stdout, int stderr) {
        this.sys = sys;
        this.pid = pid;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Starts the logger and waits until it is ready (or has exited). */
    static BinaryLogger start(Syscalls sys, StreamUri.Binary uri, String namespace, String id) {
        int[] out = sys.pipe();
        int[] err = null;
        int[] ready = null;
        try {
            err = sys.pipe();
            ready = sys.pipe();
            List<String> argv = new ArrayList<>();
            argv.add(uri.path().toString());
            argv.addAll(uri.args());
            int pid = sys.spawn(uri.path().toString(), argv, List.of("CONTAINER_ID=" + id,
                    "CONTAINER_NAMESPACE=" + namespace), Map.of(3, out[0], 4, err[0], 5, ready[1]));
            sys.close(out[0]);
            sys.close(err[0]);
            sys.close(ready[1]);
            out[0] = err[0] = ready[1] = -1;
            awaitEof(sys, ready[0]);
            return new BinaryLogger(sys, pid, out[1], err[1]);
        } catch (RuntimeException e) {
            closeAll(sys, out);
            closeAll(sys, err);
            throw e;
        } finally {
            if (ready != null) {
                closeAll(sys, new int[] {ready[0], ready[1]});
            }
        }
    }

    private static void awaitEof(Syscalls sys, int fd) {
        byte[] buf = new byte[64];
        while (sys.read(fd, buf, 0, buf.length) > 0) {
            // the protocol is the close; bytes mean nothing
        }
    }

    private static void closeAll(Syscalls sys, int[] fds) {
        if (fds == null) {
            return;
        }
        for (int i = 0; i < fds.length; i++) {
            if (fds[i] >= 0) {
                sys.close(fds[i]);
                fds[i] = -1;
            }
        }
    }

    /** The write end of the logger's stdout pipe, owned by this object. */
    synchronized int stdout() {
        return stdout;
    }

    synchronized int stderr() {
        return stderr;
    }

    /** Closes this object's stderr write end (a terminal writes all output to stdout). */
    synchronized void closeStderr() {
        if (stderr >= 0) {
            sys.close(stderr);
            stderr = -1;
        }
    }

    /** Takes over the stdout write end: the caller closes it. */
    synchronized int takeStdout() {
        int fd = stdout;
        stdout = -1;
        return fd;
    }

    /** Closes the write ends still held, and reaps the logger once it has drained what is left. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeStderr();
        if (stdout >= 0) {
            sys.close(stdout);
            stdout = -1;
        }
        Thread.ofPlatform().daemon().name("logger " + pid).start(() -> {
            try {
                sys.waitpid(pid, false);
            } catch (SyscallException e) {
                // reaped elsewhere: nothing left to wait for
            }
        });
    }
}
