package dev.berth.cli.command;

import dev.berth.client.Berth;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth stop}: the stop signal, then SIGKILL after the grace period (berthd's engine does both). */
@Command(name = "stop")
public final class StopCommand extends BaseCommand {
    @Option(names = {"-t", "--time"}, description = "Seconds to wait for stop before killing it (default: the "
            + "container's stop timeout, else 10)")
    Integer seconds;
    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> refs;

    @Override
    int run(Berth berth) throws Exception {
        return Refs.each(refs, out, err, ref -> berth.containers().stop(ref, Optional.ofNullable(seconds)));
    }
}
