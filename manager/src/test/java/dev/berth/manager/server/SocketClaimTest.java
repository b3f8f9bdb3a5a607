package dev.berth.manager.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.sys.LinuxSyscalls;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A second berthd with another root but the same socket refuses to start; a dead berthd's socket is replaced. */
class SocketClaimTest {

    @TempDir
    Path dir;

    private BerthdConfig config(String root) {
        return BerthdConfig.defaults(Path.of("/nonexistent/berth-shim"))
                .withNetwork(BerthdConfig.NetworkSwitches.CONTAINED).withRoot(dir.resolve(root))
                .withState(dir.resolve(root + "-state")).withAddress(dir.resolve("b.sock"));
    }

    @Test
    void open_socketOfARunningBerthd_isRefusedAndTheRunningOneKeepsItsSockets() throws Exception {
        Path socket = dir.resolve("b.sock");
        Path ttrpc = dir.resolve("b.sock.ttrpc");
        try (Berthd first = Berthd.open(config("one"), LinuxSyscalls.loadBuilt()).serve()) {
            Object socketInode = Files.getAttribute(socket, "unix:ino");
            Object ttrpcInode = Files.getAttribute(ttrpc, "unix:ino");

            BerthException e = assertThrows(BerthException.class,
                    () -> Berthd.open(config("two"), LinuxSyscalls.loadBuilt()).serve());

            assertEquals(ErrorKind.FAILED_PRECONDITION, e.kind());
            assertEquals("listen " + socket + ": address in use by a running daemon", e.getMessage());
            assertEquals(socketInode, Files.getAttribute(socket, "unix:ino"), "the running berthd's socket");
            assertEquals(ttrpcInode, Files.getAttribute(ttrpc, "unix:ino"), "the running berthd's ttrpc socket");
            assertTrue(connects(socket));
        }
    }

    @Test
    void serve_socketLeftByADeadBerthd_isReplaced() throws Exception {
        Path socket = dir.resolve("b.sock");
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket)); // closing leaves the file, as a killed daemon does
        }
        assertTrue(Files.exists(socket));
        try (Berthd berthd = Berthd.open(config("one"), LinuxSyscalls.loadBuilt()).serve()) {
            assertTrue(connects(socket));
        }
    }

    private static boolean connects(Path socket) throws Exception {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            return ch.connect(UnixDomainSocketAddress.of(socket));
        }
    }
}
