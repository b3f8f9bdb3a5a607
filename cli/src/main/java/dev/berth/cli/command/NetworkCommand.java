package dev.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.client.CliException;
import dev.berth.cli.flags.ContainerOptions;
import dev.berth.client.Berth;
import dev.berth.client.DaemonException;
import dev.berth.client.Results;
import dev.berth.model.EndpointSettings;
import dev.berth.model.Network;
import dev.berth.model.NetworkCreate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code berth network}: docker's networks (bridge networks; {@code bridge}, {@code host}, {@code none} built in). */
@Command(name = "network", subcommands = {NetworkCommand.CreateCommand.class, NetworkCommand.LsCommand.class,
        NetworkCommand.InspectCommand.class, NetworkCommand.RmCommand.class, NetworkCommand.PruneCommand.class,
        NetworkCommand.ConnectCommand.class, NetworkCommand.DisconnectCommand.class})
public final class NetworkCommand implements Runnable {
    static final String DEFAULT_FORMAT = "table {{.ID}}\\t{{.Name}}\\t{{.Driver}}\\t{{.Scope}}";
    static final Map<String, String> HEADERS = Map.of("ID", "NETWORK ID", "Name", "NAME", "Driver", "DRIVER",
            "Scope", "SCOPE", "IPv6", "IPV6", "Internal", "INTERNAL", "Labels", "LABELS", "CreatedAt", "CREATED AT");

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;
    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code berth network create NAME}: prints the new network's id. */
    @Command(name = "create", description = "Create a network")
    public static final class CreateCommand extends BaseCommand {
        @Option(names = {"-d", "--driver"}, description = "Driver to manage the Network (default \"bridge\")")
        String driver = "bridge";
        @Option(names = "--subnet", description = "Subnet in CIDR format that represents a network segment")
        List<String> subnets = new ArrayList<>();
        @Option(names = "--gateway", description = "IPv4 or IPv6 Gateway for the master subnet")
        List<String> gateways = new ArrayList<>();
        @Option(names = "--ip-range", description = "Allocate container ip from a sub-range")
        List<String> ranges = new ArrayList<>();
        @Option(names = "--internal", description = "Restrict external access to the network")
        boolean internal;
        @Option(names = "--attachable", description = "Enable manual container attachment")
        boolean attachable;
        @Option(names = "--ipv6", description = "Enable IPv6 networking")
        boolean ipv6;
        @Option(names = "--label", description = "Set metadata on a network")
        List<String> labels = new ArrayList<>();
        @Option(names = {"-o", "--opt"}, description = "Set driver specific options")
        List<String> opts = new ArrayList<>();
        @Parameters(index = "0", paramLabel = "NETWORK")
        String name;

        @Override
        int run(Berth berth) {
            out.println(berth.networks().create(request()));
            return 0;
        }

        /** docker's client side: one IPAM config per subnet, gateways and ranges only with a subnet. */
        NetworkCreate request() {
            if (subnets.size() < ranges.size() || subnets.size() < gateways.size()) {
                throw CliException.failed("every ip-range or gateway must have a corresponding subnet");
            }
            List<Network.IpamConfig> configs = new ArrayList<>();
            for (int i = 0; i < subnets.size(); i++) {
                configs.add(new Network.IpamConfig(subnets.get(i), i < ranges.size() ? ranges.get(i) : null,
                        i < gateways.size() ? gateways.get(i) : null, null));
            }
            return new NetworkCreate(name, true, driver, internal ? true : null, attachable ? true : null, null,
                    new Network.Ipam("default", null, configs), ipv6 ? true : null,
                    ContainerOptions.keyValues("-o, --opt", opts), ContainerOptions.labels(labels));
        }
    }

    /** {@code berth network ls}: NETWORK ID, NAME, DRIVER and SCOPE, sorted by name as docker's. */
    @Command(name = "ls", aliases = "list", description = "List networks")
    public static final class LsCommand extends BaseCommand {
        @Option(names = {"-f", "--filter"}, description = "Provide filter values (e.g. 'driver=bridge')")
        List<String> filters = new ArrayList<>();
        @Option(names = "--format", description = "Pretty-print networks using a Go template")
        String format;
        @Option(names = {"-q", "--quiet"}, description = "Only display network IDs")
        boolean quiet;
        @Option(names = "--no-trunc", description = "Do not truncate the output")
        boolean noTrunc;

        @Override
        int run(Berth berth) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (JsonNode n : berth.networks().list(Formats.filters(filters))) {
                rows.add(row(n, noTrunc));
            }
            rows.sort(Comparator.comparing(r -> (String) r.get("Name")));
            String f = quiet ? "{{.ID}}" : format != null ? format : DEFAULT_FORMAT;
            Formats.print(f, rows, HEADERS, out);
            return 0;
        }
    }

    /** docker's {@code network ls} fields of one network document. */
    static Map<String, Object> row(JsonNode n, boolean noTrunc) {
        Map<String, Object> row = new LinkedHashMap<>();
        String id = n.path("Id").asText();
        row.put("ID", noTrunc || id.length() < 12 ? id : id.substring(0, 12));
        row.put("Name", n.path("Name").asText());
        row.put("Driver", n.path("Driver").asText());
        row.put("Scope", n.path("Scope").asText("local"));
        row.put("IPv6", String.valueOf(n.path("EnableIPv6").asBoolean(false)));
        row.put("Internal", String.valueOf(n.path("Internal").asBoolean(false)));
        row.put("CreatedAt", n.path("Created").asText());
        Map<String, String> labels = new LinkedHashMap<>();
        n.path("Labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
        row.put("Labels", String.join(",", labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .toList()));
        row.put("Label", (Function<String, Object>) k -> labels.getOrDefault(k, ""));
        return row;
    }

    /** {@code berth network inspect}: docker's network documents, as an array. */
    @Command(name = "inspect", description = "Display detailed information on one or more networks")
    public static final class InspectCommand extends BaseCommand {
        @Option(names = {"-f", "--format"}, description = "Format the output using the given Go template")
        String format;
        @Parameters(arity = "1..*", paramLabel = "NETWORK")
        List<String> names;

        @Override
        int run(Berth berth) {
            return Inspections.print(names, format, "network", berth.networks()::inspect, out, err);
        }
    }

    /** {@code berth network rm}: each name printed once removed; a failure is printed and the exit code is 1. */
    @Command(name = "rm", aliases = "remove", description = "Remove one or more networks")
    public static final class RmCommand extends BaseCommand {
        @Parameters(arity = "1..*", paramLabel = "NETWORK")
        List<String> names;

        @Override
        int run(Berth berth) {
            int status = 0;
            for (String name : names) {
                try {
                    berth.networks().remove(name);
                    out.println(name);
                } catch (DaemonException e) {
                    if (e.unreachable()) {
                        throw e;
                    }
                    err.println("Error response from daemon: " + e.getMessage());
                    status = 1;
                }
            }
            out.flush();
            return status;
        }
    }

    /** {@code berth network prune}: the user networks no container uses. */
    @Command(name = "prune", description = "Remove all unused networks")
    public static final class PruneCommand extends BaseCommand {
        @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation")
        boolean force;
        @Option(names = "--filter", description = "Provide filter values (e.g. 'until=<timestamp>')")
        List<String> filters = new ArrayList<>();

        @Override
        int run(Berth berth) throws Exception {
            if (!Prune.confirmed(force, "WARNING! This will remove all custom networks not used by at least one "
                    + "container.", System.in, out)) {
                return 0;
            }
            Prune.report("Deleted Networks:", new Results.Pruned(berth.networks().prune(Formats.filters(filters)),
                    0), out);
            out.flush();
            return 0;
        }
    }

    /** {@code berth network connect [--alias A] [--ip IP] NETWORK CONTAINER}. */
    @Command(name = "connect", description = "Connect a container to a network")
    public static final class ConnectCommand extends BaseCommand {
        @Option(names = "--alias", description = "Add network-scoped alias for the container")
        List<String> aliases = new ArrayList<>();
        @Option(names = "--ip", description = "IPv4 address (e.g., 172.30.100.104)")
        String ip;
        @Parameters(index = "0", paramLabel = "NETWORK")
        String network;
        @Parameters(index = "1", paramLabel = "CONTAINER")
        String container;

        @Override
        int run(Berth berth) {
            berth.networks().connect(network, container, EndpointSettings.request(List.copyOf(aliases),
                    ip == null || ip.isEmpty() ? null : ip));
            return 0;
        }
    }

    /** {@code berth network disconnect [-f] NETWORK CONTAINER}. */
    @Command(name = "disconnect", description = "Disconnect a container from a network")
    public static final class DisconnectCommand extends BaseCommand {
        @Option(names = {"-f", "--force"}, description = "Force the container to disconnect from a network")
        boolean force;
        @Parameters(index = "0", paramLabel = "NETWORK")
        String network;
        @Parameters(index = "1", paramLabel = "CONTAINER")
        String container;

        @Override
        int run(Berth berth) {
            berth.networks().disconnect(network, container, force);
            return 0;
        }
    }
}
