package dev.berth.manager.server;

import dev.berth.api.errdefs.BerthException;
import dev.berth.log.Level;
import dev.berth.log.Log;
import dev.berth.log.LogSink;
import dev.berth.sys.LinuxSyscalls;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * berthd's entry point: flags and config, then the composition root; SIGTERM/SIGINT close it in order. What the
 * launcher passes (bin/berthd: {@code -Dberth.shim}, {@code -Dberthd.launcher}) and {@code PATH} are read here once
 * and handed down as arguments; so is the log level ({@code --log-level}, {@code [debug] level}).
 */
public final class Main {

    /**
     * grpc-netty asks every accepted connection for SO_KEEPALIVE, which unix sockets do not have, and Netty
     * warns about it once per connection. Held here so the logger's level is not garbage collected.
     */
    private static final java.util.logging.Logger NETTY_BOOTSTRAP =
            java.util.logging.Logger.getLogger("io.netty.bootstrap");

    private static final Log LOG = Log.of(Main.class);

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length == 2 && args[0].equals("aot-training")) {
            train(Path.of(args[1]));
            return;
        }
        CommandLine cli;
        try {
            cli = CommandLine.parse(List.of(args), BerthdConfig.defaults(Path.of(System.getProperty("berth.shim",
                    "/usr/local/bin/berth-shim"))));
        } catch (BerthException | IOException e) {
            System.err.println("berthd: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (cli.help()) {
            System.out.print(CommandLine.USAGE);
            return;
        }
        if (cli.version()) {
            System.out.println("berthd " + Berthd.VERSION);
            return;
        }
        Log.configure(LogSink.stderr(Level.parse(cli.config().logLevel())));
        NETTY_BOOTSTRAP.setLevel(java.util.logging.Level.SEVERE);
        LOG.debug("starting", "root", cli.config().root(), "state", cli.config().state());
        Berthd berthd;
        try {
            berthd = Berthd.start(cli.config(), syscalls(), launch());
        } catch (BerthException | IOException e) {
            System.err.println("berthd: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(berthd::close, "berthd-shutdown"));
        berthd.awaitTermination();
    }

    /**
     * The hidden action the build runs to record the AOT cache ({@link AotTraining}): a berthd whose root, state
     * and sockets are under {@code dir}, at log level warn, configured by a TOML file as a deployment's is (the
     * TOML parser's classes and profile are then in the cache: without them, reading a config file was a third
     * of a restart).
     */
    private static void train(Path dir) throws InterruptedException {
        try {
            Path file = dir.resolve("berthd.toml");
            java.nio.file.Files.writeString(file, TRAINING_CONFIG.formatted(dir.resolve("root"), dir.resolve("state"),
                    dir.resolve("berthd.sock")));
            BerthdConfig config = CommandLine.parse(List.of("--config", file.toString(), "--address",
                    dir.resolve("berthd.sock").toString(), "--log-level", "warn"),
                    BerthdConfig.defaults(Path.of(System.getProperty("berth.shim", "/usr/local/bin/berth-shim"))))
                    .config();
            Log.configure(LogSink.stderr(Level.parse(config.logLevel())));
            NETTY_BOOTSTRAP.setLevel(java.util.logging.Level.SEVERE);
            new AotTraining(config, syscalls(), launch()).run();
        } catch (BerthException | IOException e) {
            System.err.println("berthd aot-training: " + e.getMessage());
            System.exit(1);
        }
    }

    /**
     * The training's config file: every table a deployment's may have, with no network reaching beyond the
     * training (no masquerade, no upstream DNS, no default bridge).
     */
    private static final String TRAINING_CONFIG = """
            root = "%s"
            state = "%s"
            [grpc]
              address = "%s"
            [debug]
              level = "warn"
            [berth]
              snapshotter = "overlayfs"
              max_unpacked_bytes = 0
              [berth.registry]
                insecure = ["127.0.0.1:5000"]
              [berth.network]
                bridge = "none"
                masquerade = false
                upstream_dns = false
            """;

    /** The system calls, through the JNI library bin/berthd names ({@code -Dberth.syscall.lib}) or the build's. */
    private static LinuxSyscalls syscalls() {
        String library = System.getProperty("berth.syscall.lib");
        return LinuxSyscalls.load(library != null ? Path.of(library) : LinuxSyscalls.builtLibrary());
    }

    /** The launcher bin/berthd names ({@code -Dberthd.launcher}), PATH and the --init program, read here once. */
    private static Launch launch() {
        return new Launch(Path.of(System.getProperty("berthd.launcher", "/usr/local/bin/berthd")),
                Optional.ofNullable(System.getenv("PATH")).orElse(""),
                Optional.ofNullable(System.getProperty("berth.docker-init")).map(Path::of)
                        .filter(java.nio.file.Files::isExecutable));
    }
}
