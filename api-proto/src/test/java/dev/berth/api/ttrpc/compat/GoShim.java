package dev.berth.api.ttrpc.compat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * containerd 1.6's own shim ({@code containerd-shim-runc-v2}, Debian package {@code containerd}), started the way
 * containerd starts it, for wire-compatibility tests.
 *
 * <p>What {@code start} needs, found by reading containerd's {@code runtime/v2/shim} and {@code runc/manager}: the
 * working directory is the bundle; it must hold a {@code config.json} (only its annotations are read at start, so
 * {@code {}} will do) and a FIFO named {@code log}, which the serving shim opens for writing as its log (containerd
 * creates it and reads it; without it the serving copy exits at once). {@code -address} is containerd's socket and
 * only feeds the hash in the shim's socket name ({@code /run/containerd/s/<sha256(address/ns/id)>}), so nothing needs
 * to listen there; {@code TTRPC_ADDRESS} is where the shim forwards events (Events/Forward), dialled lazily on the
 * first event. {@code start} prints {@code unix://<socket>} and exits; the serving copy outlives it.
 *
 * <p>The shim hard-codes {@code /run/containerd/s}, which a test must never touch on the host: it runs in a mount
 * namespace of its own ({@code unshare -m}) with a tmpfs over {@code /run}, kept alive by a holder process (the
 * {@code sleep} that the same process execs after {@code start}); the test reaches the socket through
 * {@code /proc/<holder>/root}, and the namespace with everything in it goes away with the holder.
 */
final class GoShim implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/containerd-shim-runc-v2");
    private final Path socket;
    private final Process holder;
    private final FileChannel logChannel;
    private final ByteArrayOutputStream log;
    private final Thread logReader;

    private GoShim(
            Path socket, Process holder, FileChannel logChannel, ByteArrayOutputStream log, Thread logReader) {
        this.socket = socket;
        this.holder = holder;
        this.logChannel = logChannel;
        this.log = log;
        this.logReader = logReader;
    }

    /**
     * Runs {@code containerd-shim-runc-v2 start} in {@code bundle} and returns once it printed the socket address.
     *
     * @param eventsAddress the TTRPC_ADDRESS to give the shim, if any
     */
    static GoShim start(Path bundle, String namespace, String id, Optional<Path> eventsAddress)
            throws IOException, InterruptedException {
        if (!Files.exists(bundle.resolve("config.json"))) {
            Files.writeString(bundle.resolve("config.json"), "{}");
        }
        Path logFifo = bundle.resolve("log");
        run(List.of("mkfifo", logFifo.toString()));
        // Opened read-write, a FIFO never blocks the open and never reads EOF: the drain ends when close() closes it.
        FileChannel logChannel = FileChannel.open(logFifo, StandardOpenOption.READ, StandardOpenOption.WRITE);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Thread logReader = Thread.ofPlatform().daemon().name("go-shim-log").start(() -> drain(logChannel, log));

        ProcessBuilder builder = new ProcessBuilder(
                "unshare", "--mount", "--propagation", "private", "sh", "-c",
                "mount -t tmpfs berth-ttrpc-test /run && \"$@\" && echo && exec sleep 3600", "sh",
                BINARY.toString(),
                "-namespace", namespace,
                "-address", bundle.resolve("containerd.sock").toString(),
                "-publish-binary", "/bin/true",
                "-id", id,
                "start")
                .directory(bundle.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectError(bundle.resolve("start.stderr").toFile());
        Map<String, String> env = builder.environment();
        env.remove("TTRPC_ADDRESS");
        eventsAddress.ifPresent(address -> env.put("TTRPC_ADDRESS", address.toString()));
        Process holder = builder.start();
        String address = firstLine(holder, Duration.ofSeconds(20));
        if (!address.startsWith("unix://")) {
            holder.destroyForcibly().waitFor();
            throw new IOException("containerd-shim-runc-v2 start: printed '" + address + "', stderr: "
                    + Files.readString(bundle.resolve("start.stderr")));
        }
        Path inNamespace = Path.of("/proc/" + holder.pid() + "/root" + address.substring("unix://".length()));
        return new GoShim(inNamespace, holder, logChannel, log, logReader);
    }

    /** The first line the process prints, or "" if it ends or the time runs out first. */
    private static String firstLine(Process process, Duration timeout) throws IOException, InterruptedException {
        java.util.concurrent.FutureTask<String> line = new java.util.concurrent.FutureTask<>(() -> {
            java.io.BufferedReader r = process.inputReader(StandardCharsets.UTF_8);
            String l = r.readLine();
            return l == null ? "" : l.trim();
        });
        Thread.ofPlatform().daemon().start(line);
        try {
            return line.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return "";
        }
    }

    Path socket() {
        return socket;
    }

    /** What the serving shim logged so far. */
    String log() {
        synchronized (log) {
            return log.toString(StandardCharsets.UTF_8);
        }
    }

    /** Waits until the shim's log contains {@code text}; the log FIFO is drained asynchronously. */
    boolean awaitLog(String text, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!log().contains(text)) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /**
     * Waits for the serving shim to exit after Shutdown; kills it by PID (only this one, which the test started) if it
     * has not, and removes what it left.
     */
    void awaitExit(long shimPid, Duration timeout) throws InterruptedException {
        Optional<ProcessHandle> shim = ProcessHandle.of(shimPid)
                .filter(p -> p.info().command().map(c -> c.endsWith("containerd-shim-runc-v2")).orElse(false));
        if (shim.isEmpty()) {
            return;
        }
        try {
            shim.get().onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            shim.get().destroyForcibly();
            throw new AssertionError("containerd shim " + shimPid + " did not exit after Shutdown; killed it", e);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        // Every process in the holder's mount namespace was started by this test (the serving shim among them, even
        // when start failed half-way): kill them, then the holder; with it goes the namespace and its tmpfs.
        Path namespace = Path.of("/proc/" + holder.pid() + "/ns/mnt");
        String inode = Files.readSymbolicLink(namespace).toString();
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                long pid = Long.parseLong(proc.getFileName().toString());
                if (pid != holder.pid() && pid != ProcessHandle.current().pid() && inode.equals(mountNamespace(proc))) {
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        }
        holder.destroyForcibly().waitFor();
        logChannel.close();
        logReader.join(Duration.ofSeconds(5));
    }

    private static String mountNamespace(Path proc) {
        try {
            return Files.readSymbolicLink(proc.resolve("ns/mnt")).toString();
        } catch (IOException e) {
            return ""; // gone, or a kernel thread
        }
    }

    private static void drain(FileChannel channel, ByteArrayOutputStream log) {
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        try {
            while (channel.read(buffer.clear()) >= 0) {
                synchronized (log) {
                    log.write(buffer.array(), 0, buffer.position());
                }
            }
        } catch (AsynchronousCloseException e) {
            // closed by close()
        } catch (IOException e) {
            synchronized (log) {
                log.writeBytes(("[read shim log: " + e + "]").getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + ": " + output.trim());
        }
    }
}
