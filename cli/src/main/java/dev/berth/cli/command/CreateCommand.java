package dev.berth.cli.command;

import dev.berth.cli.flags.ContainerOptions;
import dev.berth.cli.flags.RunFlags;
import dev.berth.client.Berth;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code berth create}: records a container (pulling the image if missing) and prints its id. */
@Command(name = "create")
public final class CreateCommand extends BaseCommand {
    @Mixin
    RunFlags flags;
    @Parameters(index = "0", paramLabel = "IMAGE")
    String image;
    @Parameters(index = "1..*", paramLabel = "COMMAND")
    List<String> command = new ArrayList<>();

    @Override
    int run(Berth berth) {
        // docker create never runs the container: -d only changes what the configuration attaches
        flags.detach = true;
        out.println(Creator.create(berth, ContainerOptions.parse(flags, image, command, session.environment()), image,
                err));
        return 0;
    }
}
