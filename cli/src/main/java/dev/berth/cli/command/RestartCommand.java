package dev.berth.cli.command;

import dev.berth.api.services.containers.v1.Container;
import dev.berth.cli.client.Berth;
import dev.berth.cli.container.ContainerIds;
import dev.berth.cli.container.Lifecycle;
import dev.berth.cli.container.LogFiles;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth restart}: stop (SIGTERM, then SIGKILL) and start again. */
@Command(name = "restart", description = "Restart one or more containers")
public final class RestartCommand extends BaseCommand {
    @Option(names = {"-t", "--time"}, description = "Seconds to wait before killing the container (default 10)")
    int seconds = 10;
    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> refs;

    @Override
    int run(Berth berth) throws IOException {
        Lifecycle lifecycle = new Lifecycle(berth, json);
        for (String ref : refs) {
            Container container = ContainerIds.resolve(berth, ref);
            lifecycle.stop(container.getId(), Duration.ofSeconds(seconds));
            StartCommand.start(berth, lifecycle, new LogFiles(session.logDir()), container);
            System.out.println(ref);
        }
        return 0;
    }
}
