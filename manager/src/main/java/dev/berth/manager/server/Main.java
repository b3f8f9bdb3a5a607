package dev.berth.manager.server;

import dev.berth.api.errdefs.BerthException;
import dev.berth.sys.LinuxSyscalls;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** berthd's entry point: flags and config, then the composition root; SIGTERM/SIGINT close it in order. */
public final class Main {

    /**
     * grpc-netty asks every accepted connection for SO_KEEPALIVE, which unix sockets do not have, and Netty
     * warns about it once per connection. Held here so the logger's level is not garbage collected.
     */
    private static final java.util.logging.Logger NETTY_BOOTSTRAP =
            java.util.logging.Logger.getLogger("io.netty.bootstrap");

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
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
        System.setProperty("berth.log.level", cli.config().logLevel());
        NETTY_BOOTSTRAP.setLevel(java.util.logging.Level.SEVERE);
        Berthd berthd;
        try {
            // bin/berthd names the JNI library; from the build tree it is found beside berth-sys's classes
            String library = System.getProperty("berth.syscall.lib");
            LinuxSyscalls sys = LinuxSyscalls.load(library != null ? Path.of(library) : LinuxSyscalls.builtLibrary());
            berthd = Berthd.open(cli.config(), sys).serve();
        } catch (BerthException | IOException e) {
            System.err.println("berthd: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(berthd::close, "berthd-shutdown"));
        berthd.awaitTermination();
    }
}
