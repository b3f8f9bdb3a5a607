package dev.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.output.Human;
import dev.berth.client.Berth;
import dev.berth.client.DaemonException;
import dev.berth.client.Options;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth stats}: docker's table from each container's stats JSON: CPU % from the sample and its precpu
 * (docker's {@code calculateCPUPercentUnix}), memory without the inactive page cache, network and block I/O,
 * pids. {@code --no-stream} asks each container once (the daemon answers its second sample, so the CPU % is
 * real); otherwise each container's stream is followed and the table redrawn every second.
 */
@Command(name = "stats")
public final class StatsCommand extends BaseCommand {
    static final String DEFAULT_FORMAT = "table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t"
            + "{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}";
    static final Map<String, String> HEADERS = Map.of("Container", "CONTAINER", "ID", "CONTAINER ID", "Name", "NAME",
            "CPUPerc", "CPU %", "MemUsage", "MEM USAGE / LIMIT", "MemPerc", "MEM %", "NetIO", "NET I/O",
            "BlockIO", "BLOCK I/O", "PIDs", "PIDS");

    @Option(names = "--no-stream", description = "Disable streaming stats and only pull the first result")
    boolean noStream;
    @Option(names = {"-a", "--all"}, description = "Show all containers (default shows just running)")
    boolean all;
    @Option(names = "--no-trunc", description = "Do not truncate output")
    boolean noTrunc;
    @Option(names = "--format", description = "Pretty-print images using a Go template")
    String format;
    @Parameters(paramLabel = "CONTAINER")
    List<String> refs = new ArrayList<>();

    @Override
    int run(Berth berth) throws Exception {
        List<String> ids = refs;
        if (ids.isEmpty()) {
            ids = new ArrayList<>();
            for (JsonNode c : berth.containers().list(new Options.ListContainers(all, Map.of(), 0, false))) {
                ids.add(c.path("Id").asText());
            }
        }
        String f = format == null || format.isBlank() ? DEFAULT_FORMAT : format;
        if (noStream) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (String id : ids) {
                try (Stream<JsonNode> stats = berth.containers().stats(id, false)) {
                    stats.findFirst().ifPresent(s -> rows.add(row(id, s, noTrunc)));
                }
            }
            Formats.print(f, rows, HEADERS, out);
            return 0;
        }
        Map<String, JsonNode> latest = new ConcurrentHashMap<>();
        for (String id : ids) {
            Thread.ofVirtual().name("stats-" + id).start(() -> follow(berth, id, latest));
        }
        while (true) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (String id : ids) {
                JsonNode s = latest.get(id);
                if (s != null) {
                    rows.add(row(id, s, noTrunc));
                }
            }
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            Formats.print(f, rows, HEADERS, new PrintStream(frame, true, StandardCharsets.UTF_8));
            // docker clears the screen between frames
            out.print("\033[2J\033[H" + frame.toString(StandardCharsets.UTF_8));
            out.flush();
            Thread.sleep(1000);
        }
    }

    /** Keeps the container's latest sample; when its stream ends (it stopped), its zeros with -a, else nothing. */
    private void follow(Berth berth, String id, Map<String, JsonNode> latest) {
        try (Stream<JsonNode> stats = berth.containers().stats(id, true)) {
            stats.forEach(s -> latest.put(id, s));
        } catch (DaemonException e) {
            latest.remove(id);
            return;
        }
        JsonNode last = latest.get(id);
        if (!all && !refs.contains(id) || last == null) {
            latest.remove(id);
            return;
        }
        var zeros = dev.berth.model.DockerJson.mapper().createObjectNode();
        zeros.put("id", last.path("id").asText(id));
        zeros.put("name", last.path("name").asText(""));
        latest.put(id, zeros);
    }

    /** One row: docker's {@code StatsEntry} fields as its formatter prints them. */
    static Map<String, Object> row(String ref, JsonNode s, boolean noTrunc) {
        String id = s.path("id").asText(ref);
        double used = memoryUsed(s.path("memory_stats"));
        double limit = s.path("memory_stats").path("limit").asDouble();
        long rx = 0;
        long tx = 0;
        for (JsonNode n : s.path("networks")) {
            rx += n.path("rx_bytes").asLong();
            tx += n.path("tx_bytes").asLong();
        }
        long read = 0;
        long write = 0;
        for (JsonNode e : s.path("blkio_stats").path("io_service_bytes_recursive")) {
            switch (e.path("op").asText().toLowerCase(Locale.ROOT)) {
                case "read" -> read += e.path("value").asLong();
                case "write" -> write += e.path("value").asLong();
                default -> { }
            }
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("Container", ref);
        row.put("ID", noTrunc || id.length() < 12 ? id : id.substring(0, 12));
        row.put("Name", s.path("name").asText("").replaceFirst("^/", ""));
        row.put("CPUPerc", String.format(Locale.ROOT, "%.2f%%", cpuPercent(s)));
        row.put("MemUsage", Human.binarySize(used) + " / " + Human.binarySize(limit));
        row.put("MemPerc", String.format(Locale.ROOT, "%.2f%%", limit > 0 ? used / limit * 100 : 0));
        row.put("NetIO", size3(rx) + " / " + size3(tx));
        row.put("BlockIO", size3(read) + " / " + size3(write));
        row.put("PIDs", s.path("pids_stats").path("current").asText("0"));
        return row;
    }

    /** docker's {@code calculateCPUPercentUnix}: the container's share of the host's CPU time, times its CPUs. */
    static double cpuPercent(JsonNode s) {
        double cpuDelta = s.path("cpu_stats").path("cpu_usage").path("total_usage").asDouble()
                - s.path("precpu_stats").path("cpu_usage").path("total_usage").asDouble();
        double systemDelta = s.path("cpu_stats").path("system_cpu_usage").asDouble()
                - s.path("precpu_stats").path("system_cpu_usage").asDouble();
        double cpus = s.path("cpu_stats").path("online_cpus").asDouble();
        if (cpus == 0) {
            cpus = s.path("cpu_stats").path("cpu_usage").path("percpu_usage").size();
        }
        return systemDelta > 0 && cpuDelta > 0 ? cpuDelta / systemDelta * cpus * 100 : 0;
    }

    /** docker's usage without the page cache: cgroup v1's total_inactive_file, v2's inactive_file. */
    static double memoryUsed(JsonNode memory) {
        double usage = memory.path("usage").asDouble();
        JsonNode stats = memory.path("stats");
        if (stats.has("total_inactive_file") && stats.path("total_inactive_file").asDouble() < usage) {
            return usage - stats.path("total_inactive_file").asDouble();
        }
        double inactive = stats.path("inactive_file").asDouble();
        return inactive < usage ? usage - inactive : usage;
    }

    /** docker's {@code units.HumanSizeWithPrecision(n, 3)}: decimal units, three significant digits. */
    static String size3(long bytes) {
        String[] units = {"B", "kB", "MB", "GB", "TB", "PB"};
        double v = bytes;
        int i = 0;
        while (v >= 1000 && i < units.length - 1) {
            v /= 1000;
            i++;
        }
        return new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros().toPlainString() + units[i];
    }
}
