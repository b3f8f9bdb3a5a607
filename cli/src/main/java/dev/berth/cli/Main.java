package dev.berth.cli;

import dev.berth.cli.client.CliException;
import dev.berth.cli.client.DaemonErrors;
import dev.berth.sys.LinuxSyscalls;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;

/** {@code berth}: parses the command line, runs one command and exits with docker's exit codes. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // bin/berth names the JNI library; from the build tree it is found beside berth-sys's classes
        String library = System.getProperty("berth.syscall.lib");
        System.exit(run(args, library != null ? Path.of(library) : LinuxSyscalls.builtLibrary()));
    }

    static int run(String[] args, Path syscallLibrary) {
        // grpc and netty log through java.util.logging; a CLI shows only its own one-line errors
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.OFF);
        BerthCommand root = new BerthCommand(System.getenv(), syscallLibrary);
        CommandLine cli = new CommandLine(root);
        cli.setParameterExceptionHandler(Main::badUsage);
        // docker: options after the image (run) or the container (exec) belong to the container's command
        cli.getSubcommands().get("run").setStopAtPositional(true);
        cli.getSubcommands().get("exec").setStopAtPositional(true);
        cli.setExecutionExceptionHandler((e, command, parsed) -> failed(e, root, command.getErr()));
        return cli.execute(args);
    }

    /** docker: {@code unknown flag: --x} and a pointer to --help, exit code 125. */
    private static int badUsage(CommandLine.ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println("berth: " + e.getMessage());
        err.println("See '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
        err.flush();
        return CliException.DAEMON;
    }

    private static int failed(Exception e, BerthCommand root, PrintWriter err) {
        CliException failure = switch (e) {
            case CliException c -> c;
            case StatusRuntimeException s -> DaemonErrors.describe(s, root.address());
            case java.io.IOException io -> new CliException(CliException.DAEMON, io.getMessage(), io);
            default -> throw new IllegalStateException(e);
        };
        err.println("berth: " + failure.getMessage());
        err.flush();
        return failure.exitCode();
    }
}
