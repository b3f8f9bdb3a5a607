package dev.berth.cli.command;

import dev.berth.client.Berth;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code berth unpause}: thaws the containers' processes. */
@Command(name = "unpause")
public final class UnpauseCommand extends BaseCommand {
    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> refs;

    @Override
    int run(Berth berth) throws Exception {
        return Refs.each(refs, out, err, ref -> berth.containers().unpause(ref));
    }
}
