package dev.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.cli.client.CliException;
import dev.berth.cli.client.DaemonStubs;
import dev.berth.cli.image.ImageReader;
import dev.berth.cli.output.DockerJsonPrinter;
import dev.berth.cli.output.GoTemplate;
import dev.berth.client.Berth;
import dev.berth.client.DaemonException;
import dev.berth.model.DockerJson;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth inspect}: docker's JSON of each named container, image or volume (in that order of search), as
 * an array, or each through {@code --format}'s template.
 */
@Command(name = "inspect")
public final class InspectCommand extends BaseCommand {
    /** docker's exit status when an object is not found. */
    static final int NOT_FOUND = 1;

    @Option(names = {"-f", "--format"}, description = "Format the output using the given Go template")
    String format;
    @Option(names = "--type", description = "Return JSON for specified type (container, image, volume)")
    String type;
    @Option(names = {"-s", "--size"}, description = "Display total file sizes if the type is container")
    boolean size;
    @Parameters(arity = "1..*", paramLabel = "NAME|ID")
    List<String> refs;

    @Override
    int run(Berth berth) {
        if (type != null && !List.of("container", "image", "volume").contains(type)) {
            throw CliException.failed("\"" + type + "\" is not a valid value for --type");
        }
        GoTemplate template = format == null ? null : GoTemplate.parse(format);
        ArrayNode found = DockerJson.mapper().createArrayNode();
        int status = 0;
        for (String ref : refs) {
            Optional<JsonNode> object = find(berth, ref);
            if (object.isEmpty()) {
                err.println("Error: No such " + (type == null ? "object" : type) + ": " + ref);
                status = NOT_FOUND;
                continue;
            }
            if (template != null) {
                out.println(template.render(object.get()));
            } else {
                found.add(object.get());
            }
        }
        if (template == null) {
            out.println(DockerJsonPrinter.indented(found));
        }
        out.flush();
        return status;
    }

    private Optional<JsonNode> find(Berth berth, String ref) {
        if (type == null || type.equals("container")) {
            Optional<JsonNode> c = absentIfNotFound(() -> berth.containers().inspect(ref));
            if (c.isPresent() || "container".equals(type)) {
                return c;
            }
        }
        if (type == null || type.equals("image")) {
            Optional<JsonNode> i = image(berth, ref);
            if (i.isPresent() || "image".equals(type)) {
                return i;
            }
        }
        return absentIfNotFound(() -> berth.volumes().inspect(ref));
    }

    /** The engine's image JSON; where the engine does not serve images yet, the CLI's own reading of it. */
    private Optional<JsonNode> image(Berth berth, String ref) {
        try {
            return absentIfNotFound(() -> berth.images().inspect(ref));
        } catch (DaemonException e) {
            if (e.kind() != ErrorKind.UNIMPLEMENTED) {
                throw e;
            }
            return new ImageReader(new DaemonStubs(berth)).inspect(ref);
        }
    }

    private static Optional<JsonNode> absentIfNotFound(java.util.function.Supplier<JsonNode> lookup) {
        try {
            return Optional.of(lookup.get());
        } catch (DaemonException e) {
            if (e.notFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
