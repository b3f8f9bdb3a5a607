package dev.berth.cli.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.services.containers.v1.Container;
import dev.berth.api.services.images.v1.Image;
import dev.berth.cli.client.Berth;
import dev.berth.cli.client.CliException;
import dev.berth.cli.container.ContainerIds;
import dev.berth.cli.container.ContainerState;
import dev.berth.cli.container.Lifecycle;
import dev.berth.cli.container.LogFiles;
import dev.berth.cli.image.ImageReader;
import dev.berth.cli.image.ResolvedImage;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code berth inspect}: a JSON array with each named container (first) or image. */
@Command(name = "inspect", description = "Return low-level information on containers or images")
public final class InspectCommand extends BaseCommand {
    @Parameters(arity = "1..*", paramLabel = "NAME|ID")
    List<String> refs;

    @Override
    int run(Berth berth) throws Exception {
        ArrayNode out = json.createArrayNode();
        ImageReader images = new ImageReader(berth, json);
        for (String ref : refs) {
            Optional<Container> container = findContainer(berth, ref);
            if (container.isPresent()) {
                out.add(container(berth, container.get()));
                continue;
            }
            Image image = images.find(ref).orElseThrow(() -> CliException.failed("No such object: " + ref));
            out.add(image(images.resolve(image)));
        }
        System.out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(out));
        return 0;
    }

    private static Optional<Container> findContainer(Berth berth, String ref) {
        try {
            return Optional.of(ContainerIds.resolve(berth, ref));
        } catch (CliException e) {
            return Optional.empty();
        }
    }

    private ObjectNode container(Berth berth, Container c) throws java.io.IOException {
        ContainerState state = ContainerState.of(c, new Lifecycle(berth, json).task(c.getId()).orElse(null));
        ObjectNode node = json.createObjectNode();
        node.put("Id", c.getId());
        node.put("Name", "/" + c.getId());
        node.put("Created", Instant.ofEpochSecond(c.getCreatedAt().getSeconds(), c.getCreatedAt().getNanos())
                .toString());
        node.put("Image", c.getImage());
        ObjectNode st = node.putObject("State");
        st.put("Status", state.state());
        st.put("Running", state.running());
        st.put("Pid", state.pid());
        st.put("ExitCode", state.exitCode());
        node.put("Runtime", c.getRuntime().getName());
        node.put("Snapshotter", c.getSnapshotter());
        node.put("SnapshotKey", c.getSnapshotKey());
        node.put("LogPath", new LogFiles(session.logDir()).of(berth.namespace(), c.getId()).toString());
        ObjectNode labels = node.putObject("Labels");
        c.getLabelsMap().forEach(labels::put);
        node.set("Spec", json.readTree(c.getSpec().getValue().toByteArray()));
        return node;
    }

    private ObjectNode image(ResolvedImage image) {
        ObjectNode node = json.createObjectNode();
        node.put("Id", image.configDigest());
        node.putArray("RepoTags").add(image.name());
        node.put("ManifestDigest", image.manifestDigest());
        node.put("Created", image.config().path("created").asText(""));
        node.put("Architecture", image.config().path("architecture").asText(""));
        node.put("Os", image.config().path("os").asText(""));
        node.put("Size", image.size());
        node.set("Config", image.runConfig());
        node.set("RootFS", image.config().path("rootfs"));
        return node;
    }
}
