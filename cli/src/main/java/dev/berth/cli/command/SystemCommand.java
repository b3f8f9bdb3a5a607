package dev.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.output.Human;
import dev.berth.cli.output.Table;
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
        @Override
        int run(Berth berth) {
            JsonNode df = berth.system().df();
            Table t = new Table("TYPE", "TOTAL", "ACTIVE", "SIZE", "RECLAIMABLE");
            long imageSize = 0;
            long imageUnused = 0;
            int imagesActive = 0;
            for (JsonNode i : df.path("Images")) {
                imageSize += i.path("Size").asLong();
                if (i.path("Containers").asInt() > 0) {
                    imagesActive++;
                } else {
                    imageUnused += i.path("Size").asLong();
                }
            }
            if (df.has("LayersSize")) {
                imageSize = df.path("LayersSize").asLong();
            }
            t.add("Images", String.valueOf(df.path("Images").size()), String.valueOf(imagesActive),
                    Human.size(imageSize), reclaimable(imageUnused, imageSize));
            long containerSize = 0;
            long containerStopped = 0;
            int running = 0;
            for (JsonNode c : df.path("Containers")) {
                containerSize += c.path("SizeRw").asLong();
                if (c.path("State").asText().equals("running")) {
                    running++;
                } else {
                    containerStopped += c.path("SizeRw").asLong();
                }
            }
            t.add("Containers", String.valueOf(df.path("Containers").size()), String.valueOf(running),
                    Human.size(containerSize), reclaimable(containerStopped, containerSize));
            long volumeSize = 0;
            long volumeUnused = 0;
            int volumesActive = 0;
            for (JsonNode v : df.path("Volumes")) {
                long size = Math.max(0, v.path("UsageData").path("Size").asLong());
                volumeSize += size;
                if (v.path("UsageData").path("RefCount").asInt() > 0) {
                    volumesActive++;
                } else {
                    volumeUnused += size;
                }
            }
            t.add("Local Volumes", String.valueOf(df.path("Volumes").size()), String.valueOf(volumesActive),
                    Human.size(volumeSize), reclaimable(volumeUnused, volumeSize));
            t.add("Build Cache", "0", "0", "0B", "0B");
            t.print(out);
            return 0;
        }

        private static String reclaimable(long bytes, long total) {
            return Human.size(bytes) + (total > 0 ? " (" + (bytes * 100 / total) + "%)" : "");
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
            freed += Prune.report("Deleted Images:", berth.images().prune(imageFilters), out);
            Prune.total(freed, out);
            return 0;
        }
    }
}
