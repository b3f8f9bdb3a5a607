package dev.berth.cli.command;

import dev.berth.cli.client.CliException;
import dev.berth.cli.flags.ContainerOptions;
import dev.berth.cli.image.ImageName;
import dev.berth.cli.image.Puller;
import dev.berth.client.Berth;
import dev.berth.client.DaemonException;
import dev.berth.client.Results;
import java.io.PrintStream;

/**
 * docker's create as its CLI does it: create; when the daemon has no such image, say so, pull it (progress on
 * stderr) and create again.
 */
final class Creator {
    private Creator() {
    }

    static String create(Berth berth, ContainerOptions.Spec spec, String image, PrintStream err) {
        Results.Created created;
        try {
            created = berth.containers().create(spec.name(), spec.config(), spec.host(), spec.networking());
        } catch (DaemonException e) {
            if (!e.notFound() || !e.getMessage().contains("image")) {
                throw e;
            }
            pull(berth, image, err);
            created = berth.containers().create(spec.name(), spec.config(), spec.host(), spec.networking());
        }
        for (String warning : created.warnings()) {
            err.println("WARNING: " + warning);
        }
        return created.id();
    }

    private static void pull(Berth berth, String image, PrintStream err) {
        ImageName name;
        try {
            name = ImageName.parse(image);
        } catch (IllegalArgumentException e) {
            throw CliException.failed(e.getMessage());
        }
        String familiar = image.contains("@") ? image : name.familiarRepository() + ":" + name.tag();
        err.println("Unable to find image '" + familiar + "' locally");
        new Puller(berth, err).pull(name.name(), "");
    }
}
