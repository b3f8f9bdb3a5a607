package dev.berth.cli.command;

import dev.berth.client.Berth;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code berth builder}: the build cache (berthd's step images of earlier builds). */
@Command(name = "builder", subcommands = {BuilderCommand.PruneCommand.class})
public final class BuilderCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code berth builder prune}: drops every cache entry; what no image uses is then collected. */
    @Command(name = "prune", description = "Remove build cache")
    public static final class PruneCommand extends BaseCommand {
        @Option(names = {"-a", "--all"}, description = "Remove all cache entries (the only mode)")
        boolean all;
        @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation")
        boolean force;

        @Override
        int run(Berth berth) {
            List<String> deleted = berth.builds().prune();
            if (!deleted.isEmpty()) {
                out.println("Deleted build cache objects:");
                deleted.forEach(d -> out.println(d.substring(d.indexOf(':') + 1, d.indexOf(':') + 13)));
                out.println();
            }
            out.println("Total reclaimed space: " + deleted.size() + " cache entries (the next collection frees "
                    + "their space)");
            return 0;
        }
    }
}
