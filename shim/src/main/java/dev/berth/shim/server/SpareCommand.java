package dev.berth.shim.server;

import dev.berth.log.Log;
import dev.berth.log.LogSink;
import dev.berth.sys.Errno;
import dev.berth.sys.SyscallException;
import dev.berth.sys.Syscalls;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code spare}: a serving shim started before its task, so that a container's start waits for no JVM. With
 * {@code BERTH_SHIM_SPARE=1} in containerd's environment, {@code berth-shim-start} keeps one per containerd
 * instance: it hands the next task to the spare and spawns another (the protocol is drawn in
 * {@code src/main/c/berth-shim-start.c}).
 *
 * <p>The spare starts at nice 19 and first runs {@link SpareWarmup}; then it holds {@code <socket dir>/spare.lock}
 * (whose content is its pid) while it waits on {@code <socket dir>/spare}, so that there is one. When a start
 * connects it gives both up, takes nice 0 back for all its threads, makes the bundle's log its stderr and serves the
 * task exactly as {@code serve} does, reporting on the connection. It exits after {@link #IDLE} without a start, or
 * within a second once its socket is removed (containerd's directory is gone).
 */
final class SpareCommand {
    private static final Log LOG = Log.of(SpareCommand.class);
    static final Duration IDLE = Duration.ofMinutes(10);
    private static final int CHECK_MILLIS = 1000;
    private static final int MAX_REQUEST = 64 * 1024;
    private static final String TTRPC_ADDRESS = "TTRPC_ADDRESS=";

    private final Syscalls sys;
    private final ShimSettings settings;

    SpareCommand(Syscalls sys, ShimSettings settings) {
        this.sys = sys;
        this.settings = settings;
    }

    int run(ShimFlags flags) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(flags.socketDir());
        int connection;
        try (FileChannel lockFile = FileChannel.open(dir.resolve("spare.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = lockFile.tryLock()) {
            if (lock == null) {
                return 0; // another spare waits
            }
            SpareWarmup.run();
            lockFile.write(ByteBuffer.wrap((sys.getpid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            Path socket = dir.resolve("spare");
            Files.deleteIfExists(socket);
            int listener = sys.listenUnix(socket.toString());
            try {
                connection = awaitStart(listener, socket);
            } finally {
                sys.close(listener);
                Files.deleteIfExists(socket);
                lockFile.truncate(0);
            }
        }
        if (connection < 0) {
            return 0;
        }
        sys.setpriority(Syscalls.PRIO_PGRP, 0, 0); // this process leads its group: every thread of it
        List<String> request = readRequest(connection);
        int log = sys.receiveFd(connection);
        sys.dup2(log, 2);
        sys.close(log);
        String ttrpcAddress = request.getFirst().substring(TTRPC_ADDRESS.length());
        List<String> args = new ArrayList<>(request.subList(1, request.size()));
        args.addAll(List.of("-ready-fd", Integer.toString(connection), "serve"));
        ShimFlags serve = ShimFlags.parse(args.toArray(String[]::new));
        Log.configure(LogSink.stderr(Main.level(serve))); // the task's command line, known only now
        LOG.info("spare serves task", "namespace", serve.namespace(), "id", serve.id());
        return new ServeCommand(sys, settings).run(serve, ttrpcAddress);
    }

    /** The connection of the start that hands over a task, or -1 after the idle time or once the socket is gone. */
    private int awaitStart(int listener, Path socket) {
        long deadline = System.nanoTime() + IDLE.toNanos();
        while (System.nanoTime() - deadline < 0 && Files.exists(socket)) {
            try {
                return sys.acceptUnix(listener, CHECK_MILLIS);
            } catch (SyscallException e) {
                if (e.errno() != Errno.ETIMEDOUT) {
                    throw e;
                }
            }
        }
        return -1;
    }

    /** {@code TTRPC_ADDRESS=…}, then the shim flags: a u32 length and as many bytes of NUL-terminated strings. */
    private List<String> readRequest(int fd) throws IOException {
        int length = ByteBuffer.wrap(readFully(fd, 4)).order(ByteOrder.nativeOrder()).getInt();
        if (length <= 0 || length > MAX_REQUEST) {
            throw new IOException("spare: request of " + length + " bytes");
        }
        String text = new String(readFully(fd, length), StandardCharsets.UTF_8);
        List<String> strings = List.of(text.substring(0, text.length() - 1).split("\0", -1));
        if (!strings.getFirst().startsWith(TTRPC_ADDRESS)) {
            throw new IOException("spare: request without " + TTRPC_ADDRESS);
        }
        return strings;
    }

    private byte[] readFully(int fd, int length) throws IOException {
        byte[] buf = new byte[length];
        for (int done = 0; done < length; ) {
            int n = sys.read(fd, buf, done, length - done);
            if (n == 0) {
                throw new IOException("spare: request ended after " + done + " of " + length + " bytes");
            }
            done += n;
        }
        return buf;
    }
}
