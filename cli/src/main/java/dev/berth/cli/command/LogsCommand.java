package dev.berth.cli.command;

import dev.berth.api.services.containers.v1.Container;
import dev.berth.cli.client.Berth;
import dev.berth.cli.container.ContainerIds;
import dev.berth.cli.container.Lifecycle;
import dev.berth.cli.container.LogFiles;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth logs}: the container's log file; {@code -f} follows it until the container stops. */
@Command(name = "logs", description = "Fetch the logs of a container")
public final class LogsCommand extends BaseCommand {
    @Option(names = {"-f", "--follow"}, description = "Follow log output")
    boolean follow;
    @Parameters(index = "0", paramLabel = "CONTAINER")
    String ref;

    @Override
    int run(Berth berth) throws Exception {
        Container container = ContainerIds.resolve(berth, ref);
        Path log = new LogFiles(session.logDir()).of(berth.namespace(), container.getId());
        Lifecycle lifecycle = new Lifecycle(berth, json);
        if (!Files.exists(log)) {
            return 0;
        }
        try (InputStream in = Files.newInputStream(log)) {
            byte[] buf = new byte[8192];
            while (true) {
                boolean running = follow && lifecycle.isRunning(container.getId());
                for (int n; (n = in.read(buf)) > 0; ) {
                    System.out.write(buf, 0, n);
                }
                System.out.flush();
                if (!running) {
                    return 0;
                }
                Thread.sleep(100);
            }
        }
    }
}
