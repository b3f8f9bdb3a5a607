package dev.berth.cli.command;

import dev.berth.cli.client.CliException;
import dev.berth.cli.client.DaemonErrors;
import dev.berth.client.Attachment;
import dev.berth.client.Berth;
import dev.berth.client.DaemonException;
import dev.berth.model.ExecConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth exec}: runs a command in a running container, attached; exits with its status. */
@Command(name = "exec")
public final class ExecCommand extends BaseCommand {
    @Option(names = {"-i", "--interactive"}, description = "Keep STDIN open even if not attached")
    boolean interactive;
    @Option(names = {"-t", "--tty"}, description = "Allocate a pseudo-TTY")
    boolean tty;
    @Option(names = {"-d", "--detach"}, description = "Detached mode: run command in the background")
    boolean detach;
    @Option(names = {"-e", "--env"}, description = "Set environment variables")
    List<String> env = new ArrayList<>();
    @Option(names = {"-u", "--user"}, description = "Username or UID (format: <name|uid>[:<group|gid>])")
    String user;
    @Option(names = {"-w", "--workdir"}, description = "Working directory inside the container")
    String workdir;
    @Option(names = "--detach-keys", description = "Override the key sequence for detaching a container")
    String detachKeys;
    @Option(names = "--privileged", description = "Give extended privileges to the command")
    boolean privileged;
    @Parameters(index = "0", paramLabel = "CONTAINER")
    String ref;
    @Parameters(index = "1..*", arity = "1..*", paramLabel = "COMMAND")
    List<String> command;

    @Override
    int run(Berth berth) throws Exception {
        ExecConfig config = new ExecConfig(interactive && !detach, !detach, !detach, detachKeys, tty,
                env.isEmpty() ? null : env, command, privileged ? true : null, user, workdir);
        String execId = berth.containers().execCreate(ref, config);
        try {
            if (detach) {
                berth.containers().execStartDetached(execId);
                return 0;
            }
            try (Attachment attachment = berth.containers().execStart(execId, tty)) {
                if (new Attached(berth, ref, execId, tty, interactive, false).follow(attachment, () -> { }, System.in,
                        out, err)) {
                    throw Attached.escaped();
                }
                OptionalInt code = attachment.exitCode();
                return code.isPresent() ? code.getAsInt()
                        : berth.containers().execInspect(execId).path("ExitCode").asInt(CliException.DAEMON);
            }
        } catch (DaemonException e) {
            if (e.unreachable()) {
                throw e;
            }
            // the command could not be run: docker's 126/127
            throw new CliException(DaemonErrors.execFailureCode(e.getMessage()), "Error response from daemon: "
                    + e.getMessage(), e);
        }
    }
}
