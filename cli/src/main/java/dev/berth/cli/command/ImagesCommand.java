package dev.berth.cli.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.services.images.v1.Image;
import dev.berth.api.services.images.v1.ListImagesRequest;
import dev.berth.client.Berth;
import dev.berth.cli.client.DaemonStubs;
import dev.berth.cli.image.ImageName;
import dev.berth.cli.image.ImageReader;
import dev.berth.cli.image.ResolvedImage;
import dev.berth.cli.output.Human;
import dev.berth.cli.output.Table;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth images}: REPOSITORY TAG IMAGE ID CREATED SIZE; the image ID is the config's digest, as docker's. */
@Command(name = "images", description = "List images")
public final class ImagesCommand extends BaseCommand {
    @Option(names = {"-q", "--quiet"}, description = "Only show image IDs")
    boolean quiet;
    /** The name prefix of berthd's build cache entries (docs/builds.md). */
    private static final String BUILD_CACHE = "berth.build/cache:";

    @Option(names = "--format", description = "json: one JSON object per image and line")
    String format;

    @Override
    int run(Berth client) throws Exception {
        DaemonStubs berth = new DaemonStubs(client);
        com.fasterxml.jackson.databind.ObjectMapper json = dev.berth.model.DockerJson.mapper();
        ImageReader reader = new ImageReader(berth);
        Table table = new Table("REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE");
        Set<String> ids = new LinkedHashSet<>();
        for (Image image : berth.images().list(ListImagesRequest.getDefaultInstance()).getImagesList()) {
            if (image.getName().startsWith(BUILD_CACHE)) {
                continue; // the build cache's step images: docker lists no intermediate image
            }
            ResolvedImage resolved = reader.resolve(image);
            String id = resolved.configDigest().replaceFirst("^sha256:", "").substring(0, 12);
            ImageName name = name(image.getName());
            String created = resolved.config().path("created").asText("");
            String since = since(created);
            if (quiet) {
                ids.add(id);
            } else if ("json".equals(format)) {
                ObjectNode row = json.createObjectNode();
                row.put("Repository", name.familiarRepository());
                row.put("Tag", name.tag());
                row.put("ID", id);
                row.put("Digest", image.getTarget().getDigest());
                row.put("CreatedAt", created);
                row.put("CreatedSince", since);
                row.put("Size", Human.size(resolved.size()));
                System.out.println(json.writeValueAsString(row));
            } else {
                table.add(name.familiarRepository(), name.tag(), id, since, Human.size(resolved.size()));
            }
        }
        if (quiet) {
            ids.forEach(System.out::println);
        } else if (!"json".equals(format)) {
            table.print(System.out);
        }
        System.out.flush();
        return 0;
    }

    private static ImageName name(String recorded) {
        try {
            return ImageName.parse(recorded);
        } catch (IllegalArgumentException e) {
            return new ImageName(recorded);
        }
    }

    private static String since(String created) {
        try {
            return created.isEmpty() ? "N/A" : Human.ago(Instant.parse(created));
        } catch (DateTimeParseException e) {
            return "N/A";
        }
    }
}
