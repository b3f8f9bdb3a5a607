package dev.berth.shim.io;

import dev.berth.log.Log;
import dev.berth.sys.SyscallException;
import java.io.IOException;
import java.time.Duration;

/**
 * A platform thread that copies bytes from a source to a sink until the source ends (end of file, EIO from a pty
 * master whose terminal is gone, a closed channel) or the sink fails (EPIPE), then runs its end action.
 */
final class Copier {
    private static final Log LOG = Log.of(Copier.class);

    /** Reads into a buffer; -1 at the end. */
    interface Source {
        int read(byte[] buf) throws IOException;
    }

    /** Writes the first {@code len} bytes of a buffer. */
    interface Sink {
        void write(byte[] buf, int len) throws IOException;
    }

    private final Thread thread;

    private Copier(Thread thread) {
        this.thread = thread;
    }

    /** Starts copying on a daemon thread named {@code name}; {@code atEnd} runs on that thread when it stops. */
    static Copier start(String name, Source from, Sink to, Runnable atEnd) {
        Thread t = Thread.ofPlatform().daemon().name(name).unstarted(() -> {
            try {
                copy(name, from, to);
            } finally {
                atEnd.run();
            }
        });
        t.start();
        return new Copier(t);
    }

    private static void copy(String name, Source from, Sink to) {
        byte[] buf = new byte[32 * 1024];
        try {
            int n;
            while ((n = from.read(buf)) >= 0) {
                if (n > 0) {
                    to.write(buf, n);
                }
            }
        } catch (SyscallException | IOException e) {
            LOG.debug("copy ended", e, "stream", name);
        }
    }

    /** Waits up to {@code timeout} for the copy to end; true if it has. */
    boolean await(Duration timeout) {
        try {
            return thread.join(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
