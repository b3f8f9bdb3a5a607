package dev.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.client.Berth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code berth system}: disk usage and pruning across containers, images and volumes. */
@Command(name = "system", subcommands = {SystemCommand.DfCommand.class, SystemCommand.PruneCommand.class})
public final class SystemCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code berth system df}: docker's summary of images, containers and volumes, and what could be freed. */
    @Command(name = "df", description = "Show berth disk usage")
    public static final class DfCommand extends BaseCommand {
        @Option(names = {"-v", "--verbose"}, description = "Show detailed information on space usage")
        boolean verbose;

        @Override
        int run(Berth berth) {
            JsonNode df = berth.system().df();
            if (verbose) {
                DiskUsageTables.verbose(df, out);
            } else {
                DiskUsageTables.summary(df).print(out);
            }
            return 0;
        }
    }

    /** {@code berth system prune}: stopped containers, dangling (or, with -a, unused) images, and volumes. */
    @Command(name = "prune", description = "Remove unused data")
    public static final class PruneCommand extends BaseCommand {
        @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation")
        boolean force;
        @Option(names = {"-a", "--all"}, description = "Remove all unused images not just dangling ones")
        boolean all;
        @Option(names = "--volumes", description = "Prune volumes")
        boolean volumes;
        @Option(names = "--filter", description = "Provide filter values (e.g. 'label=<key>=<value>')")
        List<String> filters = new ArrayList<>();

        @Override
        int run(Berth berth) throws Exception {
            StringBuilder warning = new StringBuilder("WARNING! This will remove:\n  - all stopped containers\n");
            if (volumes) {
                warning.append("  - all volumes not used by at least one container\n");
            }
            warning.append(all ? "  - all images without at least one container associated to them\n"
                    : "  - all dangling images\n");
            if (!Prune.confirmed(force, warning.toString(), System.in, out)) {
                return 0;
            }
            Map<String, List<String>> f = Formats.filters(filters);
            long freed = Prune.report("Deleted Containers:", berth.containers().prune(f), out);
            if (volumes) {
                freed += Prune.report("Deleted Volumes:", berth.volumes().prune(f), out);
            }
            Map<String, List<String>> imageFilters = new java.util.LinkedHashMap<>(f);
            imageFilters.put("dangling", List.of(all ? "false" : "true"));
            freed += Prune.report(berth.images().prune(imageFilters), out);
            Prune.total(freed, out);
            return 0;
        }
    }
}
