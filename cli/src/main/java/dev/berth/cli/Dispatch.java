package dev.berth.cli;

import dev.berth.cli.client.CliException;
import dev.berth.cli.client.DaemonErrors;
import dev.berth.cli.command.AttachCommand;
import dev.berth.cli.command.BaseCommand;
import dev.berth.cli.command.BuildCommand;
import dev.berth.cli.command.BuilderCommand;
import dev.berth.cli.command.CommitCommand;
import dev.berth.cli.command.ContainerCommand;
import dev.berth.cli.command.CpCommand;
import dev.berth.cli.command.CreateCommand;
import dev.berth.cli.command.DiffCommand;
import dev.berth.cli.command.EventsCommand;
import dev.berth.cli.command.ExecCommand;
import dev.berth.cli.command.ImageCommand;
import dev.berth.cli.command.ImagesCommand;
import dev.berth.cli.command.InfoCommand;
import dev.berth.cli.command.InspectCommand;
import dev.berth.cli.command.KillCommand;
import dev.berth.cli.command.LoadCommand;
import dev.berth.cli.command.LogsCommand;
import dev.berth.cli.command.NetworkCommand;
import dev.berth.cli.command.PauseCommand;
import dev.berth.cli.command.PortCommand;
import dev.berth.cli.command.PsCommand;
import dev.berth.cli.command.PullCommand;
import dev.berth.cli.command.PushCommand;
import dev.berth.cli.command.RenameCommand;
import dev.berth.cli.command.RestartCommand;
import dev.berth.cli.command.RmCommand;
import dev.berth.cli.command.RmiCommand;
import dev.berth.cli.command.RunCommand;
import dev.berth.cli.command.SaveCommand;
import dev.berth.cli.command.Session;
import dev.berth.cli.command.StartCommand;
import dev.berth.cli.command.StatsCommand;
import dev.berth.cli.command.StopCommand;
import dev.berth.cli.command.SystemCommand;
import dev.berth.cli.command.TagCommand;
import dev.berth.cli.command.TopCommand;
import dev.berth.cli.command.UnpauseCommand;
import dev.berth.cli.command.UpdateCommand;
import dev.berth.cli.command.VersionCommand;
import dev.berth.cli.command.VolumeCommand;
import dev.berth.cli.command.WaitCommand;
import dev.berth.client.DaemonException;
import io.grpc.StatusRuntimeException;
import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Runs one verb: only its class is loaded and given to picocli (docker's flags, {@code --help}), with the
 * session injected into every command object picocli makes; failures become one line on stderr and docker's
 * exit code.
 */
final class Dispatch {
    private Dispatch() {
    }

    static int execute(String verb, String[] args, Session session, PrintStream out, PrintStream err) {
        // grpc and netty log through java.util.logging; a CLI shows only its own one-line errors
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.OFF);
        CommandLine.IFactory factory = new SessionFactory(session);
        CommandLine cli;
        try {
            cli = new CommandLine(commandClass(verb), factory);
        } catch (CommandLine.InitializationException e) {
            throw new IllegalStateException("berth " + verb + ": " + e.getMessage(), e);
        }
        cli.setCommandName("berth " + verb);
        if (cli.getCommandSpec().usageMessage().description().length == 0) {
            cli.getCommandSpec().usageMessage().description(Verbs.description(verb));
        }
        // docker: options after the image (run, create) or the container (exec) belong to the container's command
        cli.setStopAtPositional(verb.equals("run") || verb.equals("create") || verb.equals("exec"));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setParameterExceptionHandler(Dispatch::badUsage);
        cli.setExecutionExceptionHandler((e, command, parsed) -> report(e, verb, session, command.getErr()));
        return cli.execute(args);
    }

    /** The verb's class; a switch, so that no other verb's class is loaded. */
    private static Class<?> commandClass(String verb) {
        return switch (verb) {
            case "attach" -> AttachCommand.class;
            case "build" -> BuildCommand.class;
            case "builder" -> BuilderCommand.class;
            case "commit" -> CommitCommand.class;
            case "container" -> ContainerCommand.class;
            case "cp" -> CpCommand.class;
            case "create" -> CreateCommand.class;
            case "diff" -> DiffCommand.class;
            case "events" -> EventsCommand.class;
            case "exec" -> ExecCommand.class;
            case "image" -> ImageCommand.class;
            case "images" -> ImagesCommand.class;
            case "info" -> InfoCommand.class;
            case "inspect" -> InspectCommand.class;
            case "kill" -> KillCommand.class;
            case "load" -> LoadCommand.class;
            case "logs" -> LogsCommand.class;
            case "network" -> NetworkCommand.class;
            case "pause" -> PauseCommand.class;
            case "port" -> PortCommand.class;
            case "ps" -> PsCommand.class;
            case "pull" -> PullCommand.class;
            case "push" -> PushCommand.class;
            case "rename" -> RenameCommand.class;
            case "restart" -> RestartCommand.class;
            case "rm" -> RmCommand.class;
            case "rmi" -> RmiCommand.class;
            case "run" -> RunCommand.class;
            case "save" -> SaveCommand.class;
            case "start" -> StartCommand.class;
            case "stats" -> StatsCommand.class;
            case "stop" -> StopCommand.class;
            case "system" -> SystemCommand.class;
            case "tag" -> TagCommand.class;
            case "top" -> TopCommand.class;
            case "unpause" -> UnpauseCommand.class;
            case "update" -> UpdateCommand.class;
            case "version" -> VersionCommand.class;
            case "volume" -> VolumeCommand.class;
            case "wait" -> WaitCommand.class;
            default -> throw new IllegalArgumentException("no verb " + verb);
        };
    }

    /** docker: {@code unknown flag: --x} and a pointer to --help, exit code 125. */
    private static int badUsage(CommandLine.ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println("berth: " + e.getMessage());
        err.println("See '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
        err.flush();
        return CliException.DAEMON;
    }

    /** A verb's failure as one line on {@code err} and docker's exit code. */
    static int report(Exception e, String verb, Session session, PrintWriter err) {
        CliException failure;
        if (e instanceof CliException c) {
            failure = c;
        } else if (e instanceof DaemonException d) {
            failure = DaemonErrors.describe(d, session.address());
        } else if (e instanceof StatusRuntimeException s) {
            failure = DaemonErrors.describe(s, session.address());
        } else if (e instanceof java.io.IOException || e instanceof java.io.UncheckedIOException) {
            failure = new CliException(CliException.DAEMON, e.getMessage(), e);
        } else if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            failure = new CliException(CliException.DAEMON, "interrupted", e);
        } else {
            throw new IllegalStateException(e);
        }
        // docker prefixes the failures of run and create with its name
        boolean prefixed = verb.equals("run") || verb.equals("create");
        err.println((prefixed ? "berth: " : "") + failure.getMessage());
        err.flush();
        return failure.exitCode();
    }

    /** picocli's default factory, with the session handed to every command it makes. */
    private record SessionFactory(Session session) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            K made = CommandLine.defaultFactory().create(cls);
            if (made instanceof BaseCommand command) {
                command.session(session);
            }
            return made;
        }
    }
}
