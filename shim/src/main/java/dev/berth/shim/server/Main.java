package dev.berth.shim.server;

import dev.berth.log.Level;
import dev.berth.log.Log;
import dev.berth.log.LogSink;
import dev.berth.sys.LinuxSyscalls;
import dev.berth.sys.Syscalls;
import java.io.IOException;
import java.nio.file.Path;

/**
 * berth-shim's JVM entry point: parses containerd's flags and runs {@code serve} or {@code delete}. {@code start}
 * is native ({@code src/main/c/berth-shim-start.c}, which spawns {@code serve}), and so is a {@code delete} that
 * finds nothing to clean up; bin/berth-shim routes them.
 *
 * <p>The composition root of the shim's settings: the log level comes from containerd's {@code -debug} (debug, else
 * info, as containerd's own shim sets logrus), berth-init's path from {@code -Dberth.init} (bin/berth-shim), and the
 * environment and {@code TTRPC_ADDRESS} from the process; each is read here once and passed down.
 */
public final class Main {
    static final String VERSION = "0.1.0";

    private Main() {}

    public static void main(String[] args) {
        // bin/berth-shim names the JNI library; from the build tree it is found beside berth-sys's classes
        String library = System.getProperty("berth.syscall.lib");
        System.exit(run(args, library != null ? Path.of(library) : LinuxSyscalls.builtLibrary()));
    }

    static int run(String[] args, Path syscallLibrary) {
        if (args.length == 1 && args[0].equals("aot-training")) {
            try {
                return new AotTraining(LinuxSyscalls.load(syscallLibrary), settings()).run();
            } catch (IOException e) {
                System.err.println("berth-shim aot-training: " + e.getMessage());
                return 1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
        }
        ShimFlags flags;
        try {
            flags = ShimFlags.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("berth-shim: " + e.getMessage());
            return 2;
        }
        if (flags.version()) {
            System.out.println("berth-shim:\n  Version:  " + VERSION + "\n  Revision: none\n  Go version: none (java "
                    + Runtime.version() + ")");
            return 0;
        }
        Log.configure(LogSink.stderr(level(flags)));
        Syscalls sys = LinuxSyscalls.load(syscallLibrary);
        ShimSettings settings = settings();
        try {
            return switch (flags.action()) {
                case "serve" -> new ServeCommand(sys, settings).run(flags,
                        System.getenv().getOrDefault("TTRPC_ADDRESS", ""));
                case "delete" -> new DeleteCommand(sys, settings).run(flags, System.out, System.err);
                default -> {
                    System.err.println("berth-shim: unknown action \"" + flags.action()
                            + "\" (want delete or serve; start is run by bin/berth-shim without a JVM)");
                    yield 2;
                }
            };
        } catch (IOException | IllegalStateException | IllegalArgumentException e) {
            System.err.println("berth-shim " + flags.action() + ": " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.err.println("berth-shim " + flags.action() + ": interrupted");
            return 1;
        }
    }

    /** containerd passes {@code -debug} when its own level is debug. */
    static Level level(ShimFlags flags) {
        return flags.debug() ? Level.DEBUG : Level.INFO;
    }

    private static ShimSettings settings() {
        return new ShimSettings(Path.of(System.getProperty("berth.init", "berth-init")),
                Path.of(System.getProperty("berth.monitor", "berth-monitor")), System.getenv());
    }
}
