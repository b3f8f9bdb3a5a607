package dev.berth.shim.server;

import dev.berth.runtime.syscall.SyscallException;
import dev.berth.runtime.syscall.Syscalls;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code start}: spawns the serving copy of the shim leading its own session ({@code posix_spawn} with
 * {@code POSIX_SPAWN_SETSID}, since a JVM must not fork), waits until its socket accepts, writes
 * {@code <bundle>/address}, prints the address, exits.
 *
 * <p>A container whose spec names a group ({@link ShimGroup}) gets the group's socket; when a shim already serves
 * it (it accepts), that shim serves this container too and none is spawned. A lock file next to the socket keeps
 * two {@code start}s of one group from both spawning.
 *
 * <p>containerd reads this process's combined stdout and stderr until both are closed, so the serving copy gets
 * {@code /dev/null} for stdin and stdout and the bundle's {@code log} FIFO (containerd copies it to its own log)
 * for stderr, never this process's descriptors.
 */
final class StartCommand {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private final Syscalls sys;
    private final Path launcher;

    StartCommand(Syscalls sys, Path launcher) {
        this.sys = sys;
        this.launcher = launcher;
    }

    int run(ShimFlags flags, InputStream stdin, PrintStream out) throws IOException, InterruptedException {
        stdin.readAllBytes(); // the runtime options again; Create carries them too
        Path bundle = flags.bundleDir();
        ShimFlags grouped = ShimGroup.of(bundle).map(flags::withGroup).orElse(flags);
        Path socket = grouped.socketPath();
        String address = "unix://" + socket;
        Files.createDirectories(socket.getParent());
        try (FileChannel lock = FileChannel.open(socket.resolveSibling(socket.getFileName() + ".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            lock.lock(); // released when the channel closes
            if (!accepts(socket)) {
                Files.deleteIfExists(socket);
                int pid = spawnServer(grouped, bundle);
                awaitReady(grouped, socket, pid);
            }
        }
        Files.writeString(bundle.resolve("address"), address, StandardCharsets.UTF_8);
        out.print(address);
        out.flush();
        return 0;
    }

    private int spawnServer(ShimFlags flags, Path bundle) {
        List<String> argv = new ArrayList<>(List.of(launcher.toString()));
        argv.addAll(flags.serveArgs());
        List<String> env = System.getenv().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
        int devNull = sys.open("/dev/null", Syscalls.O_RDWR, 0);
        int log = openLog(bundle.resolve("log"), devNull);
        try {
            return sys.spawnInNewSession(launcher.toString(), argv, env, Map.of(0, devNull, 1, devNull, 2, log));
        } finally {
            if (log != devNull) {
                sys.close(log);
            }
            sys.close(devNull);
        }
    }

    /** The log FIFO opened for writing without blocking (see {@code ProcessIo}), or {@code fallback}. */
    private int openLog(Path fifo, int fallback) {
        if (!Files.exists(fifo)) {
            return fallback;
        }
        try {
            int both = sys.open(fifo.toString(), Syscalls.O_RDWR, 0);
            try {
                return sys.open(fifo.toString(), Syscalls.O_WRONLY, 0);
            } finally {
                sys.close(both);
            }
        } catch (SyscallException e) {
            return fallback;
        }
    }

    private void awaitReady(ShimFlags flags, Path socket, int pid) throws InterruptedException {
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        while (!accepts(socket)) {
            var exited = sys.waitpid(pid, true);
            if (exited.isPresent()) {
                throw new IllegalStateException("start " + flags.id() + ": shim exited with status "
                        + exited.get().shellStatus() + " before serving " + socket);
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("start " + flags.id() + ": shim not serving " + socket + " after "
                        + READY_TIMEOUT.toSeconds() + "s");
            }
            Thread.sleep(10);
        }
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
