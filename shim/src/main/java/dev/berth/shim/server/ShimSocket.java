package dev.berth.shim.server;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * The socket of a group's shim server ({@link ShimGroup}): claimed by a serving shim (it listens, or finds the
 * group's server accepting and hands out its address), and released by the server when it exits. One lock file in the
 * socket directory, {@value #LOCK}, makes the check and the bind one step, so that of two shims of one group
 * starting together one listens and the other finds it accepting. It is one file for every shim of the directory
 * rather than one per socket, which would stay behind for every container ever run (removing a lock file that
 * another process may hold open would let two shims lock different files); the claim holds it for a connect and a
 * bind only.
 *
 * <p>The lock also closes the race between a {@code start} that hands out a server's address and that server
 * exiting: whoever hands out the address (this class, or {@code berth-shim-start} without a JVM) touches the socket
 * file under the lock, and a server {@link #release releases} its socket only under the lock and only if the socket
 * has not been touched for its idle period. So an address that {@code start} printed is served for at least that
 * long, which is ample for containerd's connect and Create.
 */
final class ShimSocket {
    static final String LOCK = "claim.lock";

    private ShimSocket() {}

    /** Connections that may wait to be accepted; the kernel caps it at {@code net.core.somaxconn}. */
    private static final int BACKLOG = 1024;

    /** What {@link #claim} found: a socket this shim now listens on, or the group's shim already serving it. */
    sealed interface Claim {
        Path path();

        /** The address containerd connects to: {@code unix://<path>}. */
        default String address() {
            return "unix://" + path();
        }
    }

    /** A bound, listening socket that this shim now owns (it removes the file when it exits). */
    record Listening(Path path, ServerSocketChannel channel) implements Claim {}

    /** The socket of the group's shim, which accepted a connection: it serves this task too. */
    record Joined(Path path) implements Claim {}

    static Claim claim(Path socket) throws IOException {
        Files.createDirectories(socket.getParent());
        try (FileChannel lock = FileChannel.open(socket.resolveSibling(LOCK), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            lock.lock(); // released when the channel closes
            if (accepts(socket)) {
                touch(socket);
                return new Joined(socket);
            }
            Files.deleteIfExists(socket); // left by a shim that died
            ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                // listening from here: connects queue up, as many as a burst of creates makes (the default, 50, was
                // too few for 50 runs at once: a unix socket's connect from a virtual thread then fails with EAGAIN)
                channel.bind(UnixDomainSocketAddress.of(socket), BACKLOG);
            } catch (IOException e) {
                channel.close();
                throw new IOException("listen on " + socket + ": " + e.getMessage(), e);
            }
            return new Listening(socket, channel);
        }
    }

    /**
     * Under the lock: if {@code idle} still holds and the socket was last handed out before {@code notAfter},
     * removes the socket file, so that every later claim starts a new server; false (and nothing removed)
     * otherwise. {@code idle} is checked under the lock too, so a Create that raced with it is seen.
     */
    static boolean release(Path socket, Instant notAfter, BooleanSupplier idle) throws IOException {
        try (FileChannel lock = FileChannel.open(socket.resolveSibling(LOCK), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            lock.lock();
            if (Files.getLastModifiedTime(socket).toInstant().isAfter(notAfter) || !idle.getAsBoolean()) {
                return false;
            }
            Files.deleteIfExists(socket);
            return true;
        }
    }

    /** When the socket was last handed out (or bound). */
    static Instant lastHandedOut(Path socket) throws IOException {
        return Files.getLastModifiedTime(socket).toInstant();
    }

    private static void touch(Path socket) throws IOException {
        Files.setLastModifiedTime(socket, FileTime.from(Instant.now()));
    }

    private static boolean accepts(Path socket) {
        if (!Files.exists(socket)) {
            return false;
        }
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
