package dev.berth.cli.command;

import dev.berth.client.Berth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code berth image}: docker's image management verbs that have no top-level form. */
@Command(name = "image", subcommands = ImageCommand.PruneCommand.class)
public final class ImageCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code berth image prune}: dangling images, or with -a every image no container uses. */
    @Command(name = "prune", description = "Remove unused images")
    public static final class PruneCommand extends BaseCommand {
        @Option(names = {"-a", "--all"}, description = "Remove all unused images, not just dangling ones")
        boolean all;
        @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation")
        boolean force;
        @Option(names = "--filter", description = "Provide filter values (e.g. 'until=<timestamp>')")
        List<String> filters = new ArrayList<>();

        @Override
        int run(Berth berth) throws Exception {
            String warning = all ? "WARNING! This will remove all images without at least one container associated "
                    + "to them." : "WARNING! This will remove all dangling images.";
            if (!Prune.confirmed(force, warning, System.in, out)) {
                return 0;
            }
            Map<String, List<String>> f = new LinkedHashMap<>(Formats.filters(filters));
            if (all) {
                f.put("dangling", List.of("false"));
            }
            Prune.total(Prune.report(berth.images().prune(f), out), out);
            return 0;
        }
    }
}
