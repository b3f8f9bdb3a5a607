package dev.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.services.containers.v1.Container;
import dev.berth.api.services.containers.v1.ListContainersRequest;
import dev.berth.api.services.tasks.v1.ListTasksRequest;
import dev.berth.api.types.task.Process;
import dev.berth.cli.client.Berth;
import dev.berth.cli.container.ContainerState;
import dev.berth.cli.image.ImageName;
import dev.berth.cli.output.Human;
import dev.berth.cli.output.Table;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth ps}: the namespace's containers, running ones unless {@code -a}. */
@Command(name = "ps", description = "List containers")
public final class PsCommand extends BaseCommand {
    @Option(names = {"-a", "--all"}, description = "Show all containers (default shows just running)")
    boolean all;
    @Option(names = {"-q", "--quiet"}, description = "Only display container IDs")
    boolean quiet;
    @Option(names = "--format", description = "json: one JSON object per container and line")
    String format;

    @Override
    int run(Berth berth) throws Exception {
        Map<String, Process> tasks = berth.tasks().list(ListTasksRequest.getDefaultInstance()).getTasksList().stream()
                .collect(Collectors.toMap(Process::getId, Function.identity(), (a, b) -> a));
        List<Container> containers = berth.listContainers(ListContainersRequest.getDefaultInstance()).stream()
                .sorted(Comparator.comparing((Container c) -> c.getCreatedAt().getSeconds()).reversed()).toList();
        Table table = new Table("CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES");
        for (Container c : containers) {
            ContainerState state = ContainerState.of(c, tasks.get(c.getId()));
            if (!all && !state.running()) {
                continue;
            }
            String image = imageShown(c.getImage());
            String command = command(c);
            Instant created = Instant.ofEpochSecond(c.getCreatedAt().getSeconds(), c.getCreatedAt().getNanos());
            if (quiet) {
                System.out.println(c.getId());
            } else if ("json".equals(format)) {
                ObjectNode row = json.createObjectNode();
                row.put("ID", c.getId());
                row.put("Image", image);
                row.put("Command", command);
                row.put("CreatedAt", created.toString());
                row.put("RunningFor", Human.ago(created));
                row.put("State", state.state());
                row.put("Status", state.status(created));
                row.put("Names", c.getId());
                row.put("Ports", "");
                System.out.println(json.writeValueAsString(row));
            } else {
                table.add(c.getId(), image, "\"" + truncate(command, 20) + "\"", Human.ago(created),
                        state.status(created), "", c.getId());
            }
        }
        if (!quiet && !"json".equals(format)) {
            table.print(System.out);
        }
        System.out.flush();
        return 0;
    }

    private String command(Container c) {
        try {
            JsonNode spec = json.readTree(c.getSpec().getValue().toByteArray());
            return String.join(" ", spec.path("process").path("args").valueStream().map(JsonNode::asText).toList());
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static String imageShown(String name) {
        try {
            ImageName n = ImageName.parse(name);
            return n.tag().equals("latest") && !name.contains("@") ? n.familiarRepository()
                    : n.familiarRepository() + ":" + n.tag();
        } catch (IllegalArgumentException e) {
            return name;
        }
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
