package dev.berth.cli.command;

import dev.berth.client.Berth;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code berth container}: docker's container management verbs that have no top-level form. */
@Command(name = "container", subcommands = ContainerCommand.PruneCommand.class)
public final class ContainerCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code berth container prune}: removes every stopped container. */
    @Command(name = "prune", description = "Remove all stopped containers")
    public static final class PruneCommand extends BaseCommand {
        @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation")
        boolean force;
        @Option(names = "--filter", description = "Provide filter values (e.g. 'until=<timestamp>')")
        List<String> filters = new ArrayList<>();

        @Override
        int run(Berth berth) throws Exception {
            if (!Prune.confirmed(force, "WARNING! This will remove all stopped containers.", System.in, out)) {
                return 0;
            }
            Prune.total(Prune.report("Deleted Containers:", berth.containers().prune(Formats.filters(filters)), out),
                    out);
            return 0;
        }
    }
}
