package dev.berth.cli.command;

import dev.berth.client.Berth;
import dev.berth.client.Options;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth rm}: removes containers; {@code -f} kills a running one first, {@code -v} its anonymous volumes. */
@Command(name = "rm")
public final class RmCommand extends BaseCommand {
    @Option(names = {"-f", "--force"}, description = "Force the removal of a running container (uses SIGKILL)")
    boolean force;
    @Option(names = {"-v", "--volumes"}, description = "Remove anonymous volumes associated with the container")
    boolean volumes;
    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> refs;

    @Override
    int run(Berth berth) throws Exception {
        return Refs.each(refs, out, err, ref -> berth.containers().remove(ref, new Options.Remove(force, volumes)));
    }
}
