package dev.berth.cli.command;

import dev.berth.client.Berth;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code berth rename CONTAINER NEW_NAME}. */
@Command(name = "rename")
public final class RenameCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "CONTAINER")
    String ref;
    @Parameters(index = "1", paramLabel = "NEW_NAME")
    String name;

    @Override
    int run(Berth berth) {
        berth.containers().rename(ref, name);
        return 0;
    }
}
