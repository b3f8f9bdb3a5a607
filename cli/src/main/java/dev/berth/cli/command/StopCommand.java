package dev.berth.cli.command;

import dev.berth.cli.client.Berth;
import dev.berth.cli.container.ContainerIds;
import dev.berth.cli.container.Lifecycle;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth stop}: SIGTERM, then SIGKILL after the grace period. */
@Command(name = "stop", description = "Stop one or more running containers")
public final class StopCommand extends BaseCommand {
    @Option(names = {"-t", "--time"}, description = "Seconds to wait before killing the container (default 10)")
    int seconds = 10;
    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> refs;

    @Override
    int run(Berth berth) {
        Lifecycle lifecycle = new Lifecycle(berth, json);
        for (String ref : refs) {
            String id = ContainerIds.resolve(berth, ref).getId();
            lifecycle.stop(id, Duration.ofSeconds(seconds));
            System.out.println(ref);
        }
        return 0;
    }
}
