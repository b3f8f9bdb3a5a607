package dev.berth.cli.command;

import dev.berth.api.services.images.v1.CreateImageRequest;
import dev.berth.api.services.images.v1.Image;
import dev.berth.api.services.images.v1.UpdateImageRequest;
import dev.berth.client.Berth;
import dev.berth.cli.client.DaemonStubs;
import dev.berth.cli.client.CliException;
import dev.berth.cli.client.DaemonErrors;
import dev.berth.cli.image.ImageName;
import dev.berth.cli.image.ImageReader;
import io.grpc.StatusRuntimeException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code berth tag SOURCE TARGET}: another name for the same manifest. */
@Command(name = "tag", description = "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE")
public final class TagCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "SOURCE_IMAGE")
    String source;
    @Parameters(index = "1", paramLabel = "TARGET_IMAGE")
    String target;

    @Override
    int run(Berth client) {
        DaemonStubs berth = new DaemonStubs(client);
        Image image = new ImageReader(berth).find(source).orElseThrow(() -> CliException.noSuchImage(source));
        String name;
        try {
            name = ImageName.parse(target).name();
        } catch (IllegalArgumentException e) {
            throw CliException.failed(e.getMessage());
        }
        Image tagged = Image.newBuilder().setName(name).putAllLabels(image.getLabelsMap())
                .setTarget(image.getTarget()).build();
        try {
            berth.images().create(CreateImageRequest.newBuilder().setImage(tagged).build());
        } catch (StatusRuntimeException e) {
            if (!DaemonErrors.isAlreadyExists(e)) {
                throw e;
            }
            berth.images().update(UpdateImageRequest.newBuilder().setImage(tagged).build());
        }
        return 0;
    }
}
