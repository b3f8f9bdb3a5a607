package dev.berth.shim.process;

import dev.berth.log.Log;
import dev.berth.shim.engine.EngineException;
import dev.berth.sys.ProcessSyscalls;
import dev.berth.sys.SyscallException;
import dev.berth.sys.Syscalls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Starts and finds the {@code berth-monitor}s of one shim server's containers. Layout: the server's monitor
 * directory holds one socket per container, {@code <16 hex digits of sha256(id)>}, where the monitor listens for a
 * server that connects after the first one died; the init's exit goes to {@code <bundle>/}{@value #EXIT_FILE}.
 *
 * <p>The monitor runs from its file ({@code -Dberth.monitor}, bin/berth-shim), not from a sealed copy as
 * berth-init does: it never enters a container's namespaces (no process of a container can reach it through
 * {@code /proc}, the CVE-2019-5736 path), its file is busy while it runs, so cannot be written, and every monitor
 * then shares one copy of its pages.
 */
public final class Monitors {
    private static final Log LOG = Log.of(Monitors.class);
    /** The init's exit, written by the monitor: {@code <wait status> <seconds> <nanoseconds>}. */
    public static final String EXIT_FILE = "berth-exit";
    /** The longest path a {@code sockaddr_un} holds, with its terminating NUL. */
    private static final int MAX_SOCKET_PATH = 107;

    private final Syscalls sys;
    private final ProcessSyscalls server;
    private final Path binary;
    private final Path dir;

    /**
     * @param sys the plain syscalls: a monitor is spawned with them, so its exit reaches the server's reaper as an
     *     orphan's (nobody waits for it)
     * @param server the server's process role, waiting through its reaper: what a monitor's container uses once
     *     the monitor is gone
     * @param binary berth-monitor
     * @param dir the server's monitor directory
     */
    public Monitors(Syscalls sys, ProcessSyscalls server, Path binary, Path dir) {
        this.sys = sys;
        this.server = server;
        this.binary = binary;
        this.dir = dir;
    }

    /** Starts the monitor of a new container and connects to it. */
    Monitor start(String id, Path bundle) {
        Path socket = socket(id);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new EngineException(EngineException.Kind.INTERNAL, "create " + id + ": monitor directory " + dir
                    + ": " + e.getMessage(), e);
        }
        int[] pair = sys.socketpair();
        try {
            sys.spawn(binary.toString(), List.of("berth-monitor", socket.toString(),
                    bundle.resolve(EXIT_FILE).toString(), id, bundle.toString()), List.of(),
                    Map.of(0, 0, 1, 1, 2, 2, 3, pair[1]));
        } catch (SyscallException e) {
            sys.close(pair[0]);
            throw e;
        } finally {
            sys.close(pair[1]);
        }
        return Monitor.attach(sys, processes(), pair[0], id, socket);
    }

    /** Connects to every monitor left by an earlier server of this group; a dead one's socket is removed. */
    List<Monitor> adoptAll() {
        List<Monitor> found = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return found;
        }
        List<Path> sockets;
        try (Stream<Path> s = Files.list(dir)) {
            sockets = s.sorted().toList();
        } catch (IOException e) {
            LOG.warn("list monitors", e, "dir", dir);
            return found;
        }
        for (Path socket : sockets) {
            int fd;
            try {
                fd = sys.connectUnix(socket.toString());
            } catch (SyscallException e) {
                LOG.warn("monitor gone: its container is lost", "socket", socket, "error", e.getMessage());
                deleteQuietly(socket);
                continue;
            }
            try {
                found.add(Monitor.attach(sys, processes(), fd, socket.getFileName().toString(), socket));
            } catch (SyscallException e) {
                LOG.warn("monitor did not answer", "socket", socket, "error", e.getMessage());
            }
        }
        return found;
    }

    /** Tells the monitor of a container that is cleaned up without its server to exit, if it still runs. */
    public void release(String id) {
        Path socket = socket(id);
        if (!Files.exists(socket)) {
            return;
        }
        try {
            Monitor.attach(sys, server, sys.connectUnix(socket.toString()), id, socket).bye();
        } catch (SyscallException e) {
            deleteQuietly(socket);
        }
    }

    private ProcessSyscalls processes() {
        return server;
    }

    Path socket(String id) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            Path socket = dir.resolve(HexFormat.of().formatHex(hash, 0, 8));
            if (socket.toString().length() > MAX_SOCKET_PATH) {
                throw new EngineException(EngineException.Kind.INVALID_ARGUMENT, "create " + id
                        + ": monitor socket path too long: " + socket);
            }
            return socket;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("sha-256: " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("remove stale monitor socket", e, "socket", p);
        }
    }
}
