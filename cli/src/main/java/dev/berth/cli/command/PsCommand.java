package dev.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.output.Human;
import dev.berth.client.Berth;
import dev.berth.client.Options;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth ps}: the namespace's containers as docker lists them; running ones unless {@code -a}. */
@Command(name = "ps")
public final class PsCommand extends BaseCommand {
    static final String DEFAULT_FORMAT =
            "table {{.ID}}\\t{{.Image}}\\t{{.Command}}\\t{{.RunningFor}}\\t{{.Status}}\\t{{.Ports}}\\t{{.Names}}";
    static final Map<String, String> HEADERS = Map.ofEntries(Map.entry("ID", "CONTAINER ID"),
            Map.entry("Image", "IMAGE"), Map.entry("Command", "COMMAND"), Map.entry("CreatedAt", "CREATED AT"),
            Map.entry("RunningFor", "CREATED"), Map.entry("Status", "STATUS"), Map.entry("State", "STATE"),
            Map.entry("Ports", "PORTS"), Map.entry("Names", "NAMES"), Map.entry("Size", "SIZE"),
            Map.entry("Labels", "LABELS"), Map.entry("Label", "LABEL"), Map.entry("Mounts", "MOUNTS"),
            Map.entry("Networks", "NETWORKS"), Map.entry("LocalVolumes", "LOCAL VOLUMES"));
    private static final DateTimeFormatter CREATED_AT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z z");

    @Option(names = {"-a", "--all"}, description = "Show all containers (default shows just running)")
    boolean all;
    @Option(names = {"-q", "--quiet"}, description = "Only display container IDs")
    boolean quiet;
    @Option(names = {"-f", "--filter"}, description = "Filter output based on conditions provided")
    List<String> filters = new ArrayList<>();
    @Option(names = "--format", description = "Pretty-print containers using a Go template (or json)")
    String format;
    @Option(names = {"-n", "--last"}, description = "Show n last created containers (includes all states)")
    int last;
    @Option(names = {"-l", "--latest"}, description = "Show the latest created container (includes all states)")
    boolean latest;
    @Option(names = "--no-trunc", description = "Don't truncate output")
    boolean noTrunc;
    @Option(names = {"-s", "--size"}, description = "Display total file sizes")
    boolean size;

    @Override
    int run(Berth berth) {
        int limit = latest ? 1 : last;
        JsonNode list = berth.containers().list(new Options.ListContainers(all || limit > 0,
                Formats.filters(filters), limit, size));
        List<Map<String, Object>> rows = new ArrayList<>();
        Instant now = Instant.now();
        for (JsonNode c : list) {
            rows.add(row(c, now, noTrunc));
        }
        String f = quiet ? "{{.ID}}" : format != null ? format
                : size ? DEFAULT_FORMAT + "\\t{{.Size}}" : DEFAULT_FORMAT;
        Formats.print(f, rows, HEADERS, out);
        return 0;
    }

    /** docker's ps fields of one container summary. */
    static Map<String, Object> row(JsonNode c, Instant now, boolean noTrunc) {
        Map<String, Object> row = new LinkedHashMap<>();
        String id = c.path("Id").asText();
        row.put("ID", noTrunc || id.length() < 12 ? id : id.substring(0, 12));
        row.put("Image", c.path("Image").asText());
        String command = c.path("Command").asText();
        row.put("Command", "\"" + (noTrunc ? command : ellipsis(command, 20)) + "\"");
        Instant created = Instant.ofEpochSecond(c.path("Created").asLong());
        row.put("CreatedAt", CREATED_AT.format(created.atZone(ZoneId.systemDefault())));
        row.put("RunningFor", Human.ago(created, now));
        row.put("Ports", ports(c.path("Ports")));
        row.put("State", c.path("State").asText());
        row.put("Status", c.path("Status").asText());
        row.put("Size", Human.size(c.path("SizeRw").asLong()) + " (virtual "
                + Human.size(c.path("SizeRootFs").asLong()) + ")");
        List<String> names = new ArrayList<>();
        c.path("Names").forEach(n -> names.add(n.asText().replaceFirst("^/", "")));
        row.put("Names", String.join(",", names));
        Map<String, String> labels = new LinkedHashMap<>();
        c.path("Labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
        row.put("Labels", String.join(",", labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .toList()));
        row.put("Label", (Function<String, Object>) k -> labels.getOrDefault(k, ""));
        List<String> mounts = new ArrayList<>();
        c.path("Mounts").forEach(m -> mounts.add(m.path("Name").asText(m.path("Source").asText())));
        row.put("Mounts", String.join(",", mounts));
        List<String> networks = new ArrayList<>();
        c.path("NetworkSettings").path("Networks").fieldNames().forEachRemaining(networks::add);
        row.put("Networks", String.join(",", networks));
        row.put("LocalVolumes", String.valueOf(c.path("Mounts").size()));
        return row;
    }

    /**
     * docker 20.10's {@code DisplayablePorts}: sorted by private port, IP, public port and type; ports published on
     * the same host port as the container's are grouped into ranges per IP and type ({@code 0.0.0.0:80-81->80-81/tcp}),
     * unpublished ones per type ({@code 80-81/tcp}); others are {@code IP:PUBLIC->PRIVATE/TYPE}, after the groups
     * ({@code 127.0.0.1:18080->80/tcp}, {@code 0.0.0.0:49153->80/tcp, :::49153->80/tcp}).
     */
    static String ports(JsonNode ports) {
        record Port(String ip, int privatePort, int publicPort, String type) {
        }
        List<Port> sorted = new ArrayList<>();
        for (JsonNode p : ports) {
            sorted.add(new Port(p.path("IP").asText(""), p.path("PrivatePort").asInt(),
                    p.path("PublicPort").asInt(0), p.path("Type").asText("tcp")));
        }
        sorted.sort(java.util.Comparator.comparingInt(Port::privatePort).thenComparing(Port::ip)
                .thenComparingInt(Port::publicPort).thenComparing(Port::type));
        Map<String, int[]> groups = new LinkedHashMap<>();
        List<String> result = new ArrayList<>();
        List<String> mappings = new ArrayList<>();
        for (Port p : sorted) {
            String key = p.type();
            if (!p.ip().isEmpty()) {
                if (p.publicPort() != p.privatePort()) {
                    mappings.add(p.ip() + ":" + p.publicPort() + "->" + p.privatePort() + "/" + p.type());
                    continue;
                }
                key = p.ip() + "/" + p.type();
            }
            int[] group = groups.get(key);
            if (group == null) {
                groups.put(key, new int[] {p.privatePort(), p.privatePort()});
            } else if (p.privatePort() == group[1] + 1) {
                group[1] = p.privatePort();
            } else {
                result.add(group(key, group));
                groups.put(key, new int[] {p.privatePort(), p.privatePort()});
            }
        }
        groups.forEach((key, group) -> result.add(group(key, group)));
        result.addAll(mappings);
        return String.join(", ", result);
    }

    private static String group(String key, int[] range) {
        int slash = key.lastIndexOf('/');
        String ip = slash < 0 ? "" : key.substring(0, slash);
        String type = key.substring(slash + 1);
        String ports = range[0] == range[1] ? Integer.toString(range[0]) : range[0] + "-" + range[1];
        return (ip.isEmpty() ? ports : ip + ":" + ports + "->" + ports) + "/" + type;
    }

    private static String ellipsis(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
