package dev.berth.cli;

import dev.berth.cli.client.Berth;
import dev.berth.cli.command.CommitCommand;
import dev.berth.cli.command.EventsCommand;
import dev.berth.cli.command.ExecCommand;
import dev.berth.cli.command.ImagesCommand;
import dev.berth.cli.command.InfoCommand;
import dev.berth.cli.command.InspectCommand;
import dev.berth.cli.command.KillCommand;
import dev.berth.cli.command.LoadCommand;
import dev.berth.cli.command.LogsCommand;
import dev.berth.cli.command.PsCommand;
import dev.berth.cli.command.PullCommand;
import dev.berth.cli.command.PushCommand;
import dev.berth.cli.command.RestartCommand;
import dev.berth.cli.command.RmCommand;
import dev.berth.cli.command.RmiCommand;
import dev.berth.cli.command.RunCommand;
import dev.berth.cli.command.SaveCommand;
import dev.berth.cli.command.StartCommand;
import dev.berth.cli.command.StopCommand;
import dev.berth.cli.command.TagCommand;
import dev.berth.cli.command.VersionCommand;
import dev.berth.cli.command.Session;
import dev.berth.sys.FdSyscalls;
import dev.berth.sys.LinuxSyscalls;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The root command: the options every command shares (where berthd listens, which namespace, where logs go). */
@Command(name = "berth", mixinStandardHelpOptions = true, versionProvider = VersionCommand.ClientVersion.class,
        description = "A docker-like client of berthd.",
        subcommands = {PullCommand.class, PushCommand.class, ImagesCommand.class, RmiCommand.class, TagCommand.class,
                SaveCommand.class, LoadCommand.class, InspectCommand.class, RunCommand.class, PsCommand.class,
                LogsCommand.class, ExecCommand.class, StopCommand.class, KillCommand.class, StartCommand.class,
                RestartCommand.class, RmCommand.class, CommitCommand.class, EventsCommand.class,
                VersionCommand.class, InfoCommand.class})
public final class BerthCommand implements Session, Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private final Map<String, String> environment;
    private final Path syscallLibrary;


    @Option(names = {"-a", "--address"}, defaultValue = "${env:BERTH_ADDRESS:-/run/berth/berthd.sock}",
            description = "berthd's socket (env BERTH_ADDRESS; default ${DEFAULT-VALUE})")
    private String address;

    @Option(names = {"-n", "--namespace"}, defaultValue = "${env:BERTH_NAMESPACE:-default}",
            description = "namespace (env BERTH_NAMESPACE; default ${DEFAULT-VALUE})")
    private String namespace;

    @Option(names = "--log-dir", defaultValue = "${env:BERTH_LOG_DIR:-/var/log/berth}",
            description = "where containers' logs go, as <dir>/<namespace>/<id>.log (env BERTH_LOG_DIR)")
    private Path logDir;

    @Option(names = "--snapshotter", defaultValue = "${env:BERTH_SNAPSHOTTER:-overlayfs}",
            description = "snapshotter for new containers (env BERTH_SNAPSHOTTER; default ${DEFAULT-VALUE})")
    private String snapshotter;

    /**
     * @param environment the CLI's environment, as Main reads it
     * @param syscallLibrary the JNI library's path, loaded only by commands that make system calls
     */
    public BerthCommand(Map<String, String> environment, Path syscallLibrary) {
        this.environment = Map.copyOf(environment);
        this.syscallLibrary = syscallLibrary;
    }

    @Override
    public String snapshotter() {
        return snapshotter;
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public String namespace() {
        return namespace;
    }

    @Override
    public Path logDir() {
        return logDir;
    }

    @Override
    public Map<String, String> environment() {
        return environment;
    }

    /** {@code berth} alone prints the usage, as docker does. */
    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Override
    public Berth connect() {
        return Berth.connect(address, namespace);
    }

    @Override
    public FdSyscalls syscalls() {
        return LinuxSyscalls.load(syscallLibrary);
    }
}
