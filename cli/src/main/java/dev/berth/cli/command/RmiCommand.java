package dev.berth.cli.command;

import dev.berth.api.services.images.v1.DeleteImageRequest;
import dev.berth.api.services.images.v1.Image;
import dev.berth.cli.client.Berth;
import dev.berth.cli.client.CliException;
import dev.berth.cli.image.ImageReader;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code berth rmi}: removes image names (their content goes once nothing else refers to it). */
@Command(name = "rmi", description = "Remove one or more images")
public final class RmiCommand extends BaseCommand {
    @Parameters(arity = "1..*", paramLabel = "IMAGE")
    List<String> images;

    @Override
    int run(Berth berth) {
        ImageReader reader = new ImageReader(berth, json);
        for (String ref : images) {
            Image image = reader.find(ref).orElseThrow(() -> CliException.noSuchImage(ref));
            berth.images().delete(DeleteImageRequest.newBuilder().setName(image.getName()).setSync(true).build());
            System.out.println("Untagged: " + image.getName());
        }
        return 0;
    }
}
