package dev.berth.cli.command;

import dev.berth.api.services.containers.v1.Container;
import dev.berth.api.services.images.v1.Image;
import dev.berth.api.services.tasks.v1.CloseIORequest;
import dev.berth.api.services.tasks.v1.ResizePtyRequest;
import dev.berth.cli.client.Berth;
import dev.berth.cli.client.CliException;
import dev.berth.cli.container.AttachedStdio;
import dev.berth.cli.container.ContainerIds;
import dev.berth.cli.container.Lifecycle;
import dev.berth.cli.container.LogFiles;
import dev.berth.cli.container.Stdio;
import dev.berth.cli.image.ImageName;
import dev.berth.cli.image.ImageReader;
import dev.berth.cli.image.Puller;
import dev.berth.cli.image.ResolvedImage;
import dev.berth.cli.spec.RunOptions;
import dev.berth.cli.spec.RuntimeSpec;
import dev.berth.cli.terminal.SignalProxy;
import dev.berth.cli.terminal.Terminal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth run}: create a container from an image (pulled if missing), start it, and attach or detach. */
@Command(name = "run", description = "Create and run a new container from an image")
public final class RunCommand extends BaseCommand {
    @Option(names = "--rm", description = "Remove the container when it exits")
    boolean rm;
    @Option(names = {"-d", "--detach"}, description = "Run in the background and print the container ID")
    boolean detach;
    @Option(names = {"-i", "--interactive"}, description = "Keep STDIN open")
    boolean interactive;
    @Option(names = {"-t", "--tty"}, description = "Allocate a pseudo-TTY")
    boolean tty;
    @Option(names = "--name", description = "Assign a name to the container")
    String name;
    @Option(names = {"-e", "--env"}, description = "Set environment variables (K=V, or K to take the CLI's)")
    List<String> env = new ArrayList<>();
    @Option(names = {"-w", "--workdir"}, description = "Working directory inside the container")
    String workdir;
    @Option(names = {"-u", "--user"}, description = "uid[:gid]")
    String user;
    @Option(names = "--entrypoint", description = "Overwrite the image's ENTRYPOINT")
    String entrypoint;
    @Option(names = {"-m", "--memory"}, description = "Memory limit (e.g. 64m, 1g)")
    String memory;
    @Option(names = "--cpus", description = "Number of CPUs (e.g. 0.5)")
    Double cpus;
    @Option(names = "--pids-limit", description = "Tune container pids limit")
    Long pidsLimit;
    @Option(names = "--read-only", description = "Mount the container's root filesystem as read only")
    boolean readOnly;
    @Option(names = {"-h", "--hostname"}, description = "Container host name")
    String hostname;
    @Parameters(index = "0", paramLabel = "IMAGE")
    String image;
    @Parameters(index = "1..*", paramLabel = "COMMAND")
    List<String> command = new ArrayList<>();

    @Override
    int run(Berth berth) throws Exception {
        if (detach && rm) {
            throw CliException.failed("--rm and -d together are not supported: berthd removes nothing by itself yet");
        }
        ImageReader images = new ImageReader(berth, json);
        ResolvedImage resolved = images.resolve(findOrPull(berth, images));
        String id = name != null ? name : ContainerIds.generate();
        RunOptions options = new RunOptions(command, Optional.ofNullable(entrypoint), hostEnv(env, session.environment()),
                Optional.ofNullable(workdir), Optional.ofNullable(user), Optional.ofNullable(hostname), tty, readOnly,
                memory == null ? OptionalLong.empty() : OptionalLong.of(MemorySize.parse(memory)),
                cpus == null ? OptionalDouble.empty() : OptionalDouble.of(cpus),
                pidsLimit == null ? OptionalLong.empty() : OptionalLong.of(pidsLimit));
        var spec = new RuntimeSpec(json).build(berth.namespace(), id, resolved.runConfig(), options);
        Lifecycle lifecycle = new Lifecycle(berth, json);
        Container container = lifecycle.create(id, resolved.name(), session.snapshotter(), resolved.chainId(), spec,
                Map.of());
        Path log = new LogFiles(session.logDir()).prepare(berth.namespace(), id);
        try {
            if (detach) {
                lifecycle.createTask(container, Stdio.logTo(LogFiles.uri(log)));
                lifecycle.start(id);
                System.out.println(id);
                return 0;
            }
            return attached(berth, lifecycle, container, log);
        } catch (RuntimeException e) {
            if (rm) {
                lifecycle.remove(container, true);
            }
            throw e;
        }
    }

    private int attached(Berth berth, Lifecycle lifecycle, Container container, Path log) throws Exception {
        String id = container.getId();
        boolean localTty = tty && Terminal.isTerminal();
        int status;
        try (AttachedStdio stdio = AttachedStdio.create(session.syscalls(), id, interactive, tty, log)) {
            stdio.start(System.in, System.out, System.err, () -> berth.tasks().closeIO(
                    CloseIORequest.newBuilder().setContainerId(id).setStdin(true).build()));
            lifecycle.createTask(container, Stdio.of(stdio));
            AutoCloseable raw = localTty ? Terminal.raw() : () -> { };
            Runnable resize = () -> Terminal.size().ifPresent(s -> berth.tasks().resizePty(
                    ResizePtyRequest.newBuilder().setContainerId(id).setWidth(s[1]).setHeight(s[0]).build()));
            try (raw) {
                if (localTty) {
                    // before the process starts: a shell that asks for its size at once must not find 0x0
                    resize.run();
                }
                lifecycle.start(id);
                stdio.started();
                if (localTty) {
                    Terminal.onResize(resize);
                } else if (!tty) {
                    SignalProxy.forwardTo(signal -> lifecycle.kill(id, signal));
                }
                status = lifecycle.await(id, "");
                stdio.awaitOutput(Duration.ofSeconds(5));
            }
        }
        if (rm) {
            lifecycle.remove(container, true);
            java.nio.file.Files.deleteIfExists(log);
        }
        return status;
    }

    private Image findOrPull(Berth berth, ImageReader images) {
        Optional<Image> found = images.find(image);
        if (found.isPresent()) {
            return found.get();
        }
        String normalized;
        try {
            normalized = ImageName.parse(image).name();
        } catch (IllegalArgumentException e) {
            throw CliException.failed(e.getMessage());
        }
        System.err.println("Unable to find image '" + image + "' locally");
        try {
            new Puller(berth, System.err).pull(normalized, "");
        } catch (io.grpc.StatusRuntimeException e) {
            String why = e.getStatus().getDescription() == null ? e.getStatus().getCode().toString()
                    : e.getStatus().getDescription();
            throw new CliException(CliException.DAEMON, "Error response from daemon: pull " + normalized + ": "
                    + why, e);
        }
        return images.find(normalized).orElseThrow(() -> CliException.noSuchImage(image));
    }

    /** docker: {@code -e K} without a value takes K from the CLI's environment, or is left out. */
    static List<String> hostEnv(List<String> env, Map<String, String> cliEnvironment) {
        List<String> out = new ArrayList<>();
        for (String e : env) {
            if (e.contains("=")) {
                out.add(e);
            } else if (cliEnvironment.containsKey(e)) {
                out.add(e + "=" + cliEnvironment.get(e));
            }
        }
        return out;
    }
}
