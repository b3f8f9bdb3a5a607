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

/**
 * The reading end of a bundle's {@code log} FIFO, into which the serving shim writes its stderr; each line is
 * logged under the task's name. containerd-shim-runc-v2 blocks before serving until the FIFO has a reader, so it
 * is opened before {@code start}, and again after a restart of berthd.
 *
 * <p>It is opened read-write, which on Linux never blocks and keeps the FIFO from reporting end of file between
 * writers; reading ends on {@link #close}.
 */
public final class ShimLog implements AutoCloseable {
    private static final Log LOG = Log.of(ShimLog.class);

    private final FileChannel fifo;

    private ShimLog(FileChannel fifo) {
        this.fifo = fifo;
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
        ShimLog log = new ShimLog(fifo);
        Thread.ofPlatform().daemon().name("shim-log-" + id).start(() -> log.copy(namespace, id));
        return log;
    }

    private void copy(String namespace, String id) {
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
        try {
            fifo.close();
        } catch (IOException e) {
            LOG.debug("close shim log failed", e);
        }
    }
}
