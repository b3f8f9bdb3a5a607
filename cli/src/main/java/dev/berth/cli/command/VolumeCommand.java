package dev.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.flags.ContainerOptions;
import dev.berth.client.Berth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code berth volume}: docker's named volumes. */
@Command(name = "volume", subcommands = {VolumeCommand.CreateCommand.class, VolumeCommand.LsCommand.class,
        VolumeCommand.InspectCommand.class, VolumeCommand.RmCommand.class, VolumeCommand.PruneCommand.class})
public final class VolumeCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;
    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code berth volume create [NAME]}: prints the volume's name. */
    @Command(name = "create", description = "Create a volume")
    public static final class CreateCommand extends BaseCommand {
        @Option(names = "--name", description = "Specify volume name")
        String name;
        @Option(names = {"-d", "--driver"}, description = "Specify volume driver name (default \"local\")")
        String driver = "local";
        @Option(names = {"-o", "--opt"}, description = "Set driver specific options")
        List<String> opts = new ArrayList<>();
        @Option(names = "--label", description = "Set metadata for a volume")
        List<String> labels = new ArrayList<>();
        @Parameters(index = "0", arity = "0..1", paramLabel = "VOLUME")
        String positional;

        @Override
        int run(Berth berth) {
            if (name != null && positional != null && !name.equals(positional)) {
                throw dev.berth.cli.client.CliException.failed("conflicting options: either specify --name or "
                        + "provide positional arg, not both");
            }
            if (!driver.equals("local")) {
                throw dev.berth.cli.client.CliException.failed("Error response from daemon: volume driver "
                        + driver + " is not supported: only \"local\"");
            }
            JsonNode v = berth.volumes().create(name != null ? name : positional,
                    ContainerOptions.keyValues("-o, --opt", opts), ContainerOptions.labels(labels));
            out.println(v.path("Name").asText());
            return 0;
        }
    }

    /** {@code berth volume ls}: DRIVER and VOLUME NAME. */
    @Command(name = "ls", aliases = "list", description = "List volumes")
    public static final class LsCommand extends BaseCommand {
        @Option(names = {"-q", "--quiet"}, description = "Only display volume names")
        boolean quiet;
        @Option(names = {"-f", "--filter"}, description = "Provide filter values (e.g. 'dangling=true')")
        List<String> filters = new ArrayList<>();
        @Option(names = "--format", description = "Pretty-print volumes using a Go template")
        String format;

        @Override
        int run(Berth berth) {
            JsonNode list = berth.volumes().list(Formats.filters(filters));
            List<Map<String, Object>> rows = new ArrayList<>();
            for (JsonNode v : list.path("Volumes")) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("Name", v.path("Name").asText());
                row.put("Driver", v.path("Driver").asText());
                row.put("Scope", v.path("Scope").asText("local"));
                row.put("Mountpoint", v.path("Mountpoint").asText());
                List<String> labels = new ArrayList<>();
                v.path("Labels").properties().forEach(e -> labels.add(e.getKey() + "=" + e.getValue().asText()));
                row.put("Labels", String.join(",", labels));
                rows.add(row);
            }
            String f = quiet ? "{{.Name}}" : format != null ? format : "table {{.Driver}}\\t{{.Name}}";
            Formats.print(f, rows, Map.of("Name", "VOLUME NAME", "Driver", "DRIVER", "Scope", "SCOPE",
                    "Mountpoint", "MOUNTPOINT", "Labels", "LABELS"), out);
            return 0;
        }
    }

    /** {@code berth volume inspect}: docker's Volume JSON of each, as an array. */
    @Command(name = "inspect", description = "Display detailed information on one or more volumes")
    public static final class InspectCommand extends BaseCommand {
        @Option(names = {"-f", "--format"}, description = "Format the output using the given Go template")
        String format;
        @Parameters(arity = "1..*", paramLabel = "VOLUME")
        List<String> names;

        @Override
        int run(Berth berth) {
            return Inspections.print(names, format, "volume", berth.volumes()::inspect, out, err);
        }
    }

    /** {@code berth volume rm}: one in use is refused unless {@code -f}. */
    @Command(name = "rm", aliases = "remove", description = "Remove one or more volumes")
    public static final class RmCommand extends BaseCommand {
        @Option(names = {"-f", "--force"}, description = "Force the removal of one or more volumes")
        boolean force;
        @Parameters(arity = "1..*", paramLabel = "VOLUME")
        List<String> names;

        @Override
        int run(Berth berth) throws Exception {
            return Refs.each(names, out, err, name -> berth.volumes().remove(name, force));
        }
    }

    /** {@code berth volume prune}: the volumes no container uses (anonymous ones unless {@code -a}). */
    @Command(name = "prune", description = "Remove all unused local volumes")
    public static final class PruneCommand extends BaseCommand {
        @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation")
        boolean force;
        @Option(names = {"-a", "--all"}, description = "Remove all unused volumes, not just anonymous ones")
        boolean all;
        @Option(names = "--filter", description = "Provide filter values (e.g. 'label=<label>')")
        List<String> filters = new ArrayList<>();

        @Override
        int run(Berth berth) throws Exception {
            if (!Prune.confirmed(force, "WARNING! This will remove " + (all ? "all" : "anonymous")
                    + " local volumes not used by at least one container.", System.in, out)) {
                return 0;
            }
            Map<String, List<String>> f = new LinkedHashMap<>(Formats.filters(filters));
            if (all) {
                f.put("all", List.of("true"));
            }
            Prune.total(Prune.report("Deleted Volumes:", berth.volumes().prune(f), out), out);
            return 0;
        }
    }
}
