package dev.berth.it.manager.support;

import dev.berth.it.support.Background;
import dev.berth.it.support.CommandLine;
import dev.berth.it.support.Wait;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A private berthd started from the built launcher {@code bin/berthd}: its own root, state and sockets under a temp
 * directory, so it never meets /run/berth or another instance. Stopped by its pid.
 */
public final class BerthdProcess implements AutoCloseable {

    private final Path dir;
    private final Path socket;
    private final Background daemon;

    private BerthdProcess(Path dir, Path socket, Background daemon) {
        this.dir = dir;
        this.socket = socket;
        this.daemon = daemon;
    }

    /**
     * How to run berthd: {@code config}, if not null, is written as its TOML file; {@code privateRun} runs it in
     * its own mount namespace with a tmpfs over /run, for shims that hard-code paths there (containerd's
     * containerd-shim-runc-v2 puts its sockets under /run/containerd/s), so that nothing reaches the host's /run;
     * {@code netns}, if not null, names a network namespace under /run/netns that berthd runs in ({@code nsenter
     * --net}, the mount namespace shared), for the networking tests.
     */
    public record Options(String config, boolean privateRun, String netns) {
        public Options(String config, boolean privateRun) {
            this(config, privateRun, null);
        }

        public static Options defaults() {
            return new Options(null, false);
        }
    }

    /**
     * What every test berthd runs with unless its config says otherwise: masquerade and upstream DNS off and, in
     * the host's network namespace, no default bridge (containers get {@code none} unless they name a network).
     */
    static String networkSection(boolean privateNetns) {
        return "[berth.network]\nbridge = \"" + (privateNetns ? "berth0" : "none")
                + "\"\nmasquerade = false\nupstream_dns = false\n";
    }

    /** Starts berthd under {@code dir} ({@code root/}, {@code state/}, {@code berthd.sock}); waits for its socket. */
    public static BerthdProcess start(Path repo, Path dir, CommandLine commandLine, Options options)
            throws IOException {
        return start(repo, dir, commandLine, options, Map.of());
    }

    /**
     * As {@link #start(Path, Path, CommandLine, Options)}, with {@code env} added to berthd's environment (e.g.
     * {@code _JAVA_OPTIONS=-Xmx96m}, which overrides the launcher's heap bound, for a test of berthd's memory).
     */
    public static BerthdProcess start(Path repo, Path dir, CommandLine commandLine, Options options,
                                      Map<String, String> env) throws IOException {
        String config = options.config();
        Path socket = dir.resolve("berthd.sock");
        List<String> argv = new ArrayList<>(List.of(repo.resolve("bin/berthd").toString(),
                "--root", dir.resolve("root").toString(), "--state", dir.resolve("state").toString(),
                "--address", socket.toString(), "--log-level", "debug"));
        String toml = config == null ? "" : config;
        if (!toml.contains("[berth.network]")) {
            toml = toml + (toml.isEmpty() || toml.endsWith("\n") ? "" : "\n") + networkSection(options.netns() != null);
        }
        Path file = dir.resolve("berthd.toml");
        Files.writeString(file, toml);
        argv.addAll(List.of("--config", file.toString()));
        if (options.privateRun()) {
            // unshare without --fork execs sh in place, and sh execs berthd: the Process's pid is berthd's
            String exec = String.join(" ", argv.stream().map(a -> "'" + a + "'").toList());
            argv = List.of("/usr/bin/unshare", "--mount", "--propagation", "private", "/bin/sh", "-c",
                    "mount -t tmpfs -o mode=0755 berth-it-run /run && exec " + exec);
        }
        if (options.netns() != null) {
            List<String> inNetns = new ArrayList<>(List.of("/usr/bin/nsenter", "--net=/run/netns/" + options.netns()));
            inNetns.addAll(argv);
            argv = inNetns;
        }
        // the shim servers this berthd starts (they inherit its environment) leave 1 s after their last task instead
        // of 30, as the shim suites' do: a test that removes its tasks then finds no shim left
        Map<String, String> environment = new java.util.HashMap<>(env);
        environment.put("BERTH_SHIM_IDLE_SECONDS", "1");
        Background daemon = commandLine.start(argv, environment, null);
        BerthdProcess p = new BerthdProcess(dir, socket, daemon);
        Wait.until("berthd serving on " + socket, Duration.ofSeconds(30),
                () -> !daemon.isAlive() || accepts(socket));
        if (!daemon.isAlive()) {
            throw new AssertionError("berthd exited: " + daemon.stderr());
        }
        return p;
    }

    /**
     * After a failed test: kills, by pid, the shims this berthd started (their command lines name its socket under
     * {@code dir}) and their children, then lazily unmounts whatever is still mounted under {@code dir}. A passing
     * test leaves nothing for this to do.
     */
    public static void reapLeftovers(Path dir) throws IOException {
        String marker = dir.toString() + "/";
        List<ProcessHandle> shims = ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(marker)).orElse(false))
                .filter(p -> p.pid() != ProcessHandle.current().pid())
                .toList();
        for (ProcessHandle shim : shims) {
            shim.descendants().forEach(ProcessHandle::destroyForcibly);
            shim.destroyForcibly();
        }
        List<String> mounts;
        try (java.util.stream.Stream<String> lines = Files.lines(Path.of("/proc/self/mountinfo"))) {
            mounts = lines.map(l -> l.split(" ")[4]).filter(m -> m.startsWith(marker))
                    .sorted(java.util.Comparator.reverseOrder()).toList();
        }
        for (String m : mounts) {
            new ProcessBuilder("umount", "-l", m).inheritIO().start().onExit().join();
        }
    }

    /** Whether something listens on {@code socket} (a crashed berthd leaves a stale socket file). */
    private static boolean accepts(Path socket) {
        try (java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open(
                java.net.UnixDomainSocketAddress.of(socket))) {
            return ch.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    public Path socket() {
        return socket;
    }

    public long pid() {
        return daemon.process().pid();
    }

    public String log() {
        return daemon.stderr();
    }

    public Path dir() {
        return dir;
    }

    /** Kills berthd with SIGKILL, as a crash would (its shims and containers live on). */
    public void crash() throws InterruptedException {
        daemon.process().destroyForcibly();
        daemon.process().waitFor(10, TimeUnit.SECONDS);
    }

    /** Stops berthd by its pid (SIGTERM, then SIGKILL) and waits for it. */
    @Override
    public void close() {
        daemon.process().destroy();
        try {
            if (!daemon.process().waitFor(10, TimeUnit.SECONDS)) {
                daemon.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
