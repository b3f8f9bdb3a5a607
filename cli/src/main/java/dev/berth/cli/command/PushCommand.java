package dev.berth.cli.command;

import dev.berth.api.services.transfer.v1.Image;
import dev.berth.cli.client.Berth;
import dev.berth.cli.client.CliException;
import dev.berth.cli.image.ImageReader;
import dev.berth.cli.image.Puller;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code berth push}: berthd pushes a local image to the registry its name points to. */
@Command(name = "push", description = "Upload an image to a registry")
public final class PushCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "NAME[:TAG]")
    String reference;

    @Override
    int run(Berth berth) {
        var image = new ImageReader(berth, json).find(reference)
                .orElseThrow(() -> CliException.noSuchImage(reference));
        for (Image pushed : new Puller(berth, System.out).push(image.getName(), "")) {
            System.out.println(pushed.getName() + ": digest: " + pushed.getTarget().getDigest() + " size: "
                    + pushed.getTarget().getSize());
        }
        return 0;
    }
}
