package dev.berth.cli.command;

import dev.berth.client.Berth;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth restart}: stop (the stop signal, then SIGKILL) and start again. */
@Command(name = "restart")
public final class RestartCommand extends BaseCommand {
    @Option(names = {"-t", "--time"}, description = "Seconds to wait for stop before killing the container")
    Integer seconds;
    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> refs;

    @Override
    int run(Berth berth) throws Exception {
        return Refs.each(refs, out, err, ref -> berth.containers().restart(ref, Optional.ofNullable(seconds)));
    }
}
