package dev.berth.cli.command;

import dev.berth.api.services.containers.v1.Container;
import dev.berth.api.services.tasks.v1.CloseIORequest;
import dev.berth.api.services.tasks.v1.ResizePtyRequest;
import dev.berth.cli.client.Berth;
import dev.berth.cli.client.CliException;
import dev.berth.cli.container.AttachedStdio;
import dev.berth.cli.container.ContainerIds;
import dev.berth.cli.container.Lifecycle;
import dev.berth.cli.container.Stdio;
import dev.berth.cli.terminal.Terminal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth exec}: runs a command in a running container, attached; exits with its status. */
@Command(name = "exec", description = "Execute a command in a running container")
public final class ExecCommand extends BaseCommand {
    @Option(names = {"-i", "--interactive"}, description = "Keep STDIN open")
    boolean interactive;
    @Option(names = {"-t", "--tty"}, description = "Allocate a pseudo-TTY")
    boolean tty;
    @Parameters(index = "0", paramLabel = "CONTAINER")
    String ref;
    @Parameters(index = "1..*", arity = "1..*", paramLabel = "COMMAND")
    List<String> command;

    @Override
    int run(Berth berth) throws Exception {
        Container container = ContainerIds.resolve(berth, ref);
        String id = container.getId();
        Lifecycle lifecycle = new Lifecycle(berth, json);
        if (!lifecycle.isRunning(id)) {
            throw CliException.failed("Error response from daemon: Container " + id + " is not running");
        }
        String execId = "exec-" + ContainerIds.generate();
        boolean localTty = tty && Terminal.isTerminal();
        Path scratch = Files.createTempFile("berth-exec-", ".log");
        try (AttachedStdio stdio = AttachedStdio.create(session.syscalls(), execId, interactive, tty,
                scratch)) {
            stdio.start(System.in, System.out, System.err, () -> berth.tasks().closeIO(CloseIORequest.newBuilder()
                    .setContainerId(id).setExecId(execId).setStdin(true).build()));
            lifecycle.exec(container, execId, command, tty, Stdio.of(stdio));
            AutoCloseable raw = localTty ? Terminal.raw() : () -> { };
            try (raw) {
                try {
                    lifecycle.startProcess(id, execId);
                    stdio.started();
                } catch (RuntimeException e) {
                    lifecycle.deleteProcess(id, execId);
                    throw e;
                }
                if (localTty) {
                    Runnable resize = () -> Terminal.size().ifPresent(s -> berth.tasks().resizePty(ResizePtyRequest
                            .newBuilder().setContainerId(id).setExecId(execId).setWidth(s[1]).setHeight(s[0])
                            .build()));
                    resize.run();
                    Terminal.onResize(resize);
                }
                int status = lifecycle.await(id, execId);
                stdio.awaitOutput(Duration.ofSeconds(5));
                lifecycle.deleteProcess(id, execId);
                return status;
            }
        } finally {
            Files.deleteIfExists(scratch);
        }
    }
}
