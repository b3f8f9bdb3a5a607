package dev.berth.cli.command;

import dev.berth.client.Berth;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code berth wait}: blocks until each container stops and prints its exit code. */
@Command(name = "wait")
public final class WaitCommand extends BaseCommand {
    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> refs;

    @Override
    int run(Berth berth) throws Exception {
        int failed = 0;
        for (String ref : refs) {
            try {
                out.println(berth.containers().await(ref));
                out.flush();
            } catch (dev.berth.client.DaemonException e) {
                if (e.unreachable()) {
                    throw e;
                }
                err.println("Error response from daemon: " + e.getMessage());
                failed++;
            }
        }
        return failed == 0 ? 0 : dev.berth.cli.client.CliException.DAEMON;
    }
}
