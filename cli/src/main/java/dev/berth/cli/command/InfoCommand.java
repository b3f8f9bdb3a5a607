package dev.berth.cli.command;

import com.google.protobuf.Empty;
import dev.berth.api.services.containers.v1.Container;
import dev.berth.api.services.containers.v1.ListContainersRequest;
import dev.berth.api.services.images.v1.ListImagesRequest;
import dev.berth.api.services.introspection.v1.Plugin;
import dev.berth.api.services.introspection.v1.PluginsRequest;
import dev.berth.api.services.tasks.v1.ListTasksRequest;
import dev.berth.api.types.task.Process;
import dev.berth.cli.client.Berth;
import dev.berth.cli.container.ContainerState;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;

/** {@code berth info}: counts of the namespace's containers and images, and what berthd runs with. */
@Command(name = "info", description = "Display system-wide information")
public final class InfoCommand extends BaseCommand {

    @Override
    int run(Berth berth) {
        Map<String, Process> tasks = berth.tasks().list(ListTasksRequest.getDefaultInstance()).getTasksList().stream()
                .collect(Collectors.toMap(Process::getId, Function.identity(), (a, b) -> a));
        List<Container> containers = berth.listContainers(ListContainersRequest.getDefaultInstance());
        Map<String, Long> states = containers.stream().collect(Collectors.groupingBy(
                c -> ContainerState.of(c, tasks.get(c.getId())).state(), Collectors.counting()));
        int images = berth.images().list(ListImagesRequest.getDefaultInstance()).getImagesCount();
        List<Plugin> plugins = berth.introspection().plugins(PluginsRequest.getDefaultInstance()).getPluginsList();
        String version = berth.version().version(Empty.getDefaultInstance()).getVersion();
        String uuid = berth.introspection().server(Empty.getDefaultInstance()).getUuid();
        System.out.println("Server:");
        System.out.println(" Containers: " + containers.size());
        System.out.println("  Running: " + states.getOrDefault("running", 0L));
        System.out.println("  Paused: " + states.getOrDefault("paused", 0L));
        System.out.println("  Stopped: " + (states.getOrDefault("exited", 0L) + states.getOrDefault("created", 0L)));
        System.out.println(" Images: " + images);
        System.out.println(" Server Version: " + version);
        System.out.println(" Namespace: " + berth.namespace());
        System.out.println(" Snapshotters: " + pluginIds(plugins, "io.containerd.snapshotter.v1"));
        System.out.println(" Runtimes: " + pluginIds(plugins, "io.containerd.runtime.v2"));
        System.out.println(" Logging Dir: " + session.logDir());
        System.out.println(" Address: " + session.address());
        System.out.println(" ID: " + uuid);
        return 0;
    }

    private static String pluginIds(List<Plugin> plugins, String type) {
        return plugins.stream().filter(p -> p.getType().equals(type)).map(Plugin::getId)
                .collect(Collectors.joining(" "));
    }
}
