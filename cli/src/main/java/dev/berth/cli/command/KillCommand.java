package dev.berth.cli.command;

import dev.berth.client.Berth;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth kill}: sends a signal (SIGKILL by default) to the container's init process. */
@Command(name = "kill")
public final class KillCommand extends BaseCommand {
    @Option(names = {"-s", "--signal"}, description = "Signal to send to the container (default \"KILL\")")
    String signal = "KILL";
    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> refs;

    @Override
    int run(Berth berth) throws Exception {
        return Refs.each(refs, out, err, ref -> berth.containers().kill(ref, signal));
    }
}
