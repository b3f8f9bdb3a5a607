package dev.berth.it.containerd;

import dev.berth.it.support.Background;
import dev.berth.it.support.CliResult;
import dev.berth.it.support.CommandLine;
import dev.berth.it.support.Wait;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A containerd (Debian's package) of the test's own: temp root, state, sockets and {@code opt} dir, the CRI plugin
 * off, and a private mount namespace whose {@code /run} is a fresh tmpfs.
 *
 * <p>The legacy {@code io.containerd.runtime.v1.linux} plugin stays enabled: containerd 1.6's tasks service
 * requires it even when only the v2 shim is used.
 *
 * <p>Why the mount namespace: containerd 1.6's shim puts its socket under the hard-coded
 * {@code /run/containerd/s/} and the default runc root is {@code /run/containerd/runc}; neither is configurable, so
 * a tmpfs over {@code /run}, seen only by containerd and its shims, keeps the host's {@code /run/containerd} untouched.
 * The sockets and the IO FIFOs live under the temp dir, which both sides see.
 */
public final class PrivateContainerd implements AutoCloseable {
    private final Path dir;
    private final Path socket;
    private final CommandLine commandLine;
    private final Background daemon;

    private PrivateContainerd(Path dir, Path socket, CommandLine commandLine, Background daemon) {
        this.dir = dir;
        this.socket = socket;
        this.commandLine = commandLine;
        this.daemon = daemon;
    }

    public static PrivateContainerd start(Path dir, CommandLine commandLine) throws IOException {
        return start(dir, commandLine, Map.of());
    }

    /** @param env added to containerd's environment, which containerd passes on to the shims it runs */
    public static PrivateContainerd start(Path dir, CommandLine commandLine, Map<String, String> env)
            throws IOException {
        Path socket = dir.resolve("containerd.sock");
        Path config = dir.resolve("config.toml");
        Files.writeString(config, """
                version = 2
                root = "%1$s/root"
                state = "%1$s/state"
                disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.btrfs",
                  "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper",
                  "io.containerd.snapshotter.v1.aufs"]

                [grpc]
                  address = "%2$s"

                [ttrpc]
                  address = "%2$s.ttrpc"

                [debug]
                  address = ""

                [metrics]
                  address = ""

                [plugins."io.containerd.internal.v1.opt"]
                  path = "%1$s/opt"
                """.formatted(dir, socket));
        // unshare without --fork execs sh in place, and sh execs containerd: the Process's pid is containerd's.
        Background daemon = commandLine.start(List.of("/usr/bin/unshare", "--mount", "--propagation", "private",
                "/bin/sh", "-c", "mount -t tmpfs -o mode=0755 berth-it-run /run && exec /usr/bin/containerd "
                        + "--config " + config + " --log-level info"), env, null);
        PrivateContainerd c = new PrivateContainerd(dir, socket, commandLine, daemon);
        Wait.until("containerd serving on " + socket, Duration.ofSeconds(30),
                () -> !daemon.isAlive() || (Files.exists(socket) && c.ctr("version").succeeded()));
        if (!daemon.isAlive()) {
            throw new AssertionError("containerd exited: " + daemon.stderr());
        }
        return c;
    }

    public Path socket() {
        return socket;
    }

    public long pid() {
        return daemon.pid();
    }

    /** Runs {@code ctr -a <socket> <args>}. */
    public CliResult ctr(String... args) {
        List<String> argv = new ArrayList<>(List.of("/usr/bin/ctr", "-a", socket.toString()));
        argv.addAll(List.of(args));
        return commandLine.run(Duration.ofSeconds(60), argv);
    }

    /** Starts {@code ctr -a <socket> <args>} without waiting (a foreground {@code ctr run}). */
    public Background ctrInBackground(String... args) {
        List<String> argv = new ArrayList<>(List.of("/usr/bin/ctr", "-a", socket.toString()));
        argv.addAll(List.of(args));
        return commandLine.start(argv, Map.of(), null);
    }

    public String log() {
        return daemon.stderr();
    }

    /** Stops containerd by its pid (SIGTERM, then SIGKILL) and waits for it. */
    @Override
    public void close() {
        daemon.process().destroy();
        try {
            if (!daemon.process().waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                daemon.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public Path dir() {
        return dir;
    }
}
