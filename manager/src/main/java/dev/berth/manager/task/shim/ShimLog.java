package dev.berth.manager.task.shim;

import dev.berth.log.Log;
import dev.berth.sys.FdSyscalls;
import dev.berth.sys.SyscallException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The reading end of a bundle's {@code log} FIFO, into which the serving shim writes its stderr; each line is
 * logged under the task's name. containerd-shim-runc-v2 blocks before serving until the FIFO has a reader, so it
 * is opened before {@code start}, and again after a restart of berthd.
 *
 * <p>It is opened read-write, which on Linux never blocks and keeps the FIFO from reporting end of file between
 * writers; reading ends on {@link #close}.
 *
 * <p>A task created on a berth-shim server that was running already ({@link ShimLauncher#join}) has none ({@link
 * #none}): no FIFO, no reader thread. The server writes its stderr to the log of the task whose {@code start}
 * spawned it, never to a later task's, and a {@code start} run later in that bundle gives a server it spawns
 * {@code /dev/null} when the bundle has no FIFO (a FIFO nobody reads would block the server once its pipe is full).
 */
public final class ShimLog implements AutoCloseable {
    private static final Log LOG = Log.of(ShimLog.class);

    private final Optional<FileChannel> fifo;

    private ShimLog(Optional<FileChannel> fifo) {
        this.fifo = fifo;
    }

    /** The log of a task whose shim writes none for it. */
    public static ShimLog none() {
        return new ShimLog(Optional.empty());
    }

    /** Creates {@code <bundle>/log} if needed and starts copying its lines to the log. */
    public static ShimLog open(FdSyscalls sys, Path bundle, String namespace, String id) throws IOException {
        Path path = bundle.resolve("log");
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            try {
                sys.mkfifo(path.toString(), 0700);
            } catch (SyscallException e) {
                throw new IOException("create shim log " + path + ": " + e.getMessage(), e);
            }
        }
        FileChannel fifo = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        ShimLog log = new ShimLog(Optional.of(fifo));
        Thread.ofPlatform().daemon().name("shim-log-" + id).start(() -> log.copy(fifo, namespace, id));
        return log;
    }

    private void copy(FileChannel fifo, String namespace, String id) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(Channels.newInputStream(fifo),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                LOG.info("shim log", "namespace", namespace, "id", id, "line", line);
            }
        } catch (IOException e) {
            // closed: the task is gone
        }
    }

    @Override
    public void close() {
        if (fifo.isEmpty()) {
            return;
        }
        try {
            fifo.get().close();
        } catch (IOException e) {
            LOG.debug("close shim log failed", e);
        }
    }
}
