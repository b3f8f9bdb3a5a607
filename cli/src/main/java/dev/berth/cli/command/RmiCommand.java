package dev.berth.cli.command;

import dev.berth.api.services.containers.v1.Container;
import dev.berth.api.services.containers.v1.ListContainersRequest;
import dev.berth.api.services.images.v1.DeleteImageRequest;
import dev.berth.api.services.images.v1.Image;
import dev.berth.client.Berth;
import dev.berth.cli.client.DaemonStubs;
import dev.berth.cli.client.CliException;
import dev.berth.cli.image.ImageReader;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth rmi}: removes image names (their content goes once nothing else refers to it). As docker, a name a
 * container was created from is kept unless {@code -f} is given: its content would otherwise be collected once
 * the container is gone, and the container could not be re-created from it. The check runs here, over the
 * containerd API, because berthd's Images.Delete must stay containerd's (ctr removes images in use); a
 * container created between the check and the delete is not seen, which a check inside berthd's engine would
 * close.
 */
@Command(name = "rmi", description = "Remove one or more images")
public final class RmiCommand extends BaseCommand {
    /** docker's exit status for a refused removal. */
    static final int CONFLICT = 1;

    @Option(names = {"-f", "--force"}, description = "Force removal of the image")
    boolean force;

    @Parameters(arity = "1..*", paramLabel = "IMAGE")
    List<String> images;

    @Override
    int run(Berth client) {
        DaemonStubs berth = new DaemonStubs(client);
        ImageReader reader = new ImageReader(berth);
        for (String ref : images) {
            Image image = reader.find(ref).orElseThrow(() -> CliException.noSuchImage(ref));
            if (!force) {
                user(berth, image.getName()).ifPresent(c -> {
                    throw new CliException(CONFLICT, "Error response from daemon: conflict: unable to remove "
                            + "repository reference \"" + ref + "\" (must force) - container " + shortId(c.getId())
                            + " is using its referenced image " + shortId(image.getTarget().getDigest()));
                });
            }
            berth.images().delete(DeleteImageRequest.newBuilder().setName(image.getName()).setSync(true).build());
            System.out.println("Untagged: " + image.getName());
        }
        return 0;
    }

    /** A container created from image {@code name}, if any. */
    private static Optional<Container> user(DaemonStubs berth, String name) {
        return berth.containers().list(ListContainersRequest.getDefaultInstance()).getContainersList().stream()
                .filter(c -> c.getImage().equals(name))
                .findFirst();
    }

    /** docker's 12-character form of an id or {@code sha256:} digest. */
    private static String shortId(String id) {
        String hex = id.startsWith("sha256:") ? id.substring("sha256:".length()) : id;
        return hex.length() == 64 ? hex.substring(0, 12) : hex;
    }
}
