package dev.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.client.Berth;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth info}: docker's system-wide figures from berthd's engine, and where this client talks to. */
@Command(name = "info")
public final class InfoCommand extends BaseCommand {
    @Option(names = {"-f", "--format"}, description = "Format the output using the given Go template")
    String format;

    @Override
    int run(Berth berth) {
        JsonNode info;
        try {
            info = berth.system().info();
        } catch (dev.berth.client.DaemonException e) {
            if (e.kind() != dev.berth.api.errdefs.ErrorKind.UNIMPLEMENTED) {
                throw e;
            }
            info = counted(berth);
        }
        if (format != null) {
            out.println(dev.berth.cli.output.GoTemplate.parse(format).render(info));
            return 0;
        }
        StringBuilder sb = new StringBuilder();
        sb.append("Client:\n Context:    default\n\nServer:\n");
        sb.append(" Containers: ").append(info.path("Containers").asInt()).append('\n');
        sb.append("  Running: ").append(info.path("ContainersRunning").asInt()).append('\n');
        sb.append("  Paused: ").append(info.path("ContainersPaused").asInt()).append('\n');
        sb.append("  Stopped: ").append(info.path("ContainersStopped").asInt()).append('\n');
        sb.append(" Images: ").append(info.path("Images").asInt()).append('\n');
        sb.append(" Server Version: ").append(info.path("ServerVersion").asText()).append('\n');
        sb.append(" Storage Driver: ").append(info.path("Driver").asText()).append('\n');
        sb.append(" Logging Driver: ").append(info.path("LoggingDriver").asText("json-file")).append('\n');
        sb.append(" Cgroup Driver: ").append(info.path("CgroupDriver").asText()).append('\n');
        sb.append(" Cgroup Version: ").append(info.path("CgroupVersion").asText()).append('\n');
        sb.append(" Kernel Version: ").append(info.path("KernelVersion").asText()).append('\n');
        sb.append(" Operating System: ").append(info.path("OperatingSystem").asText()).append('\n');
        sb.append(" CPUs: ").append(info.path("NCPU").asInt()).append('\n');
        sb.append(" Total Memory: ").append(dev.berth.cli.output.Human.binarySize(info.path("MemTotal").asDouble()))
                .append('\n');
        sb.append(" Name: ").append(info.path("Name").asText()).append('\n');
        sb.append(" ID: ").append(info.path("ID").asText()).append('\n');
        sb.append(" Berth Root Dir: ").append(info.path("DockerRootDir").asText()).append('\n');
        sb.append(" Namespace: ").append(berth.namespace()).append('\n');
        sb.append(" Address: ").append(session.address()).append('\n');
        out.print(sb);
        out.flush();
        return 0;
    }

    /** The figures a berthd without the engine's Info still gives: containers by state, images, version. */
    private static JsonNode counted(Berth berth) {
        com.fasterxml.jackson.databind.node.ObjectNode info = dev.berth.model.DockerJson.mapper().createObjectNode();
        int running = 0;
        int paused = 0;
        int total = 0;
        for (JsonNode c : berth.containers().list(new dev.berth.client.Options.ListContainers(true,
                java.util.Map.of(), 0, false))) {
            total++;
            switch (c.path("State").asText()) {
                case "running" -> running++;
                case "paused" -> paused++;
                default -> { }
            }
        }
        info.put("Containers", total).put("ContainersRunning", running).put("ContainersPaused", paused)
                .put("ContainersStopped", total - running - paused);
        info.put("Images", new dev.berth.cli.client.DaemonStubs(berth).images()
                .list(dev.berth.api.services.images.v1.ListImagesRequest.getDefaultInstance()).getImagesCount());
        info.put("ServerVersion", berth.system().version().version());
        return info;
    }
}
