package dev.berth.cli.command;

import dev.berth.api.services.containers.v1.Container;
import dev.berth.cli.client.Berth;
import dev.berth.cli.container.ContainerIds;
import dev.berth.cli.container.Lifecycle;
import dev.berth.cli.container.LogFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth rm}: removes containers (task, record, snapshot, log); {@code -f} kills a running one first. */
@Command(name = "rm", description = "Remove one or more containers")
public final class RmCommand extends BaseCommand {
    @Option(names = {"-f", "--force"}, description = "Force the removal of a running container (uses SIGKILL)")
    boolean force;
    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> refs;

    @Override
    int run(Berth berth) throws IOException {
        Lifecycle lifecycle = new Lifecycle(berth, json);
        for (String ref : refs) {
            Container container = ContainerIds.resolve(berth, ref);
            lifecycle.remove(container, force);
            Files.deleteIfExists(new LogFiles(session.logDir()).of(berth.namespace(), container.getId()));
            System.out.println(ref);
        }
        return 0;
    }
}
