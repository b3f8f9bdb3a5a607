package dev.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.output.Human;
import dev.berth.cli.output.Table;
import dev.berth.client.Berth;
import dev.berth.client.Options;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth stats}: docker's figures from each container's stats JSON: CPU % from the difference to the
 * previous sample, memory without the page cache, network and block I/O, pids. {@code --no-stream} prints once.
 */
@Command(name = "stats")
public final class StatsCommand extends BaseCommand {
    @Option(names = "--no-stream", description = "Disable streaming stats and only pull the first result")
    boolean noStream;
    @Option(names = {"-a", "--all"}, description = "Show all containers (default shows just running)")
    boolean all;
    @Option(names = "--no-trunc", description = "Do not truncate output")
    boolean noTrunc;
    @Parameters(paramLabel = "CONTAINER")
    List<String> refs = new ArrayList<>();

    @Override
    int run(Berth berth) throws Exception {
        List<String> ids = refs;
        if (ids.isEmpty()) {
            ids = new ArrayList<>();
            for (JsonNode c : berth.containers().list(new Options.ListContainers(all, java.util.Map.of(), 0, false))) {
                ids.add(c.path("Id").asText());
            }
        }
        while (true) {
            Table table = new Table("CONTAINER ID", "NAME", "CPU %", "MEM USAGE / LIMIT", "MEM %", "NET I/O",
                    "BLOCK I/O", "PIDS");
            for (String id : ids) {
                try (Stream<JsonNode> stats = berth.containers().stats(id, false)) {
                    stats.findFirst().ifPresent(s -> table.add(row(id, s)));
                }
            }
            if (noStream) {
                table.print(out);
                return 0;
            }
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            table.print(new PrintStream(frame, true, StandardCharsets.UTF_8));
            // docker clears the screen between frames
            out.print("\033[2J\033[H" + frame.toString(StandardCharsets.UTF_8));
            out.flush();
            Thread.sleep(1000);
        }
    }

    private String[] row(String ref, JsonNode s) {
        String id = s.path("id").asText(ref);
        String name = s.path("name").asText("").replaceFirst("^/", "");
        double cpu = cpuPercent(s);
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
        return new String[] {noTrunc || id.length() < 12 ? id : id.substring(0, 12), name,
                String.format(Locale.ROOT, "%.2f%%", cpu),
                Human.binarySize(used) + " / " + Human.binarySize(limit),
                String.format(Locale.ROOT, "%.2f%%", limit > 0 ? used / limit * 100 : 0),
                Human.size(rx) + " / " + Human.size(tx), Human.size(read) + " / " + Human.size(write),
                s.path("pids_stats").path("current").asText("0")};
    }

    /** docker's {@code calculateCPUPercentUnix}. */
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
        double inactive = stats.has("total_inactive_file") ? stats.path("total_inactive_file").asDouble()
                : stats.path("inactive_file").asDouble();
        return inactive < usage ? usage - inactive : usage;
    }
}
