package dev.berth.cli.command;

import dev.berth.api.services.containers.v1.Container;
import dev.berth.cli.client.Berth;
import dev.berth.cli.container.ContainerIds;
import dev.berth.cli.container.Lifecycle;
import dev.berth.cli.container.LogFiles;
import dev.berth.cli.container.Stdio;
import java.io.IOException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code berth start}: starts stopped containers again, detached, their output appended to their log. */
@Command(name = "start", description = "Start one or more stopped containers")
public final class StartCommand extends BaseCommand {
    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> refs;

    @Override
    int run(Berth berth) throws IOException {
        Lifecycle lifecycle = new Lifecycle(berth, json);
        for (String ref : refs) {
            start(berth, lifecycle, new LogFiles(session.logDir()), ContainerIds.resolve(berth, ref));
            System.out.println(ref);
        }
        return 0;
    }

    /** A new task for the container (the exited one deleted first), logging to its log file. */
    static void start(Berth berth, Lifecycle lifecycle, LogFiles logs, Container container) throws IOException {
        String id = container.getId();
        if (lifecycle.isRunning(id)) {
            return;
        }
        lifecycle.deleteTask(id);
        lifecycle.createTask(container, Stdio.logTo(LogFiles.uri(logs.prepare(berth.namespace(), id))));
        lifecycle.start(id);
    }
}
