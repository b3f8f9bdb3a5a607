package dev.berth.shim.io;

import dev.berth.sys.SocketSyscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A listening unix socket in a fresh directory under {@code /tmp} (short: a socket path holds 107 bytes) where the
 * runtime connects to send the pty master of a process with a terminal: runc's {@code --console-socket}, and the
 * in-process engine's {@code ConsoleSocket.AtPath}. The runtime connects and sends during create or exec, before it
 * returns, so the connection waits in the backlog until {@link #receiveMaster} accepts it.
 */
final class ConsoleListener implements AutoCloseable {
    private final SocketSyscalls sys;
    private final Path dir;
    private final Path path;
    private final int fd;

    private ConsoleListener(SocketSyscalls sys, Path dir, Path path, int fd) {
        this.sys = sys;
        this.dir = dir;
        this.path = path;
        this.fd = fd;
    }

    static ConsoleListener open(SocketSyscalls sys, String what) {
        Path dir;
        try {
            dir = Files.createTempDirectory(Path.of("/tmp"), "berth-pty");
        } catch (IOException e) {
            throw new StdioException("create console socket of " + what + ": " + e.getMessage(), e);
        }
        Path path = dir.resolve("s");
        try {
            return new ConsoleListener(sys, dir, path, sys.listenUnix(path.toString()));
        } catch (RuntimeException e) {
            deleteQuietly(dir);
            throw e;
        }
    }

    Path path() {
        return path;
    }

    /** Accepts the runtime's connection and returns the master it sent; the caller owns the fd. */
    int receiveMaster(Duration timeout) {
        int conn = sys.acceptUnix(fd, (int) timeout.toMillis());
        try {
            return sys.receiveFd(conn);
        } finally {
            sys.close(conn);
        }
    }

    @Override
    public void close() {
        sys.close(fd);
        deleteQuietly(path);
        deleteQuietly(dir);
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // an empty directory under /tmp: nothing depends on it
        }
    }
}
