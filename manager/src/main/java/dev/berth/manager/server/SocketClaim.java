package dev.berth.manager.server;

import dev.berth.api.errdefs.BerthException;
import java.io.IOException;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Makes a unix socket path free for listening. containerd unlinks whatever is there, so a second daemon started
 * with another root silently takes a live socket over; berthd first connects: if something accepts, a running
 * daemon owns the address and berthd refuses; if nothing does, the file is what a dead daemon left and goes.
 * (Two daemons starting in the same instant can still race between the check and the bind.)
 */
final class SocketClaim {

    private SocketClaim() {
    }

    /** FAILED_PRECONDITION "listen <path>: address in use by a running daemon" if {@code socket} answers. */
    static void claim(Path socket) throws IOException {
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (answers(socket)) {
            throw BerthException.failedPrecondition("listen " + socket + ": address in use by a running daemon");
        }
        Files.deleteIfExists(socket);
    }

    private static boolean answers(Path socket) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (SocketException e) {
            return false; // ECONNREFUSED: nobody listens (or it is no socket at all)
        }
    }
}
