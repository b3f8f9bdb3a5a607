package dev.berth.cli.command;

import dev.berth.client.Berth;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code berth pause}: freezes the containers' processes. */
@Command(name = "pause")
public final class PauseCommand extends BaseCommand {
    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> refs;

    @Override
    int run(Berth berth) throws Exception {
        return Refs.each(refs, out, err, ref -> berth.containers().pause(ref));
    }
}
