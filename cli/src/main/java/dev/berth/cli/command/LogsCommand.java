package dev.berth.cli.command;

import dev.berth.client.Berth;
import dev.berth.client.Options;
import dev.berth.client.Output;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth logs}: the container's json-file log; {@code -f} follows it until the container stops. */
@Command(name = "logs")
public final class LogsCommand extends BaseCommand {
    @Option(names = {"-f", "--follow"}, description = "Follow log output")
    boolean follow;
    @Option(names = {"-n", "--tail"}, description = "Number of lines to show from the end of the logs (default "
            + "\"all\")")
    String tail = "all";
    @Option(names = "--since", description = "Show logs since timestamp (e.g. 2013-01-02T13:23:37Z) or relative "
            + "(e.g. 42m for 42 minutes)")
    String since;
    @Option(names = "--until", description = "Show logs before a timestamp or relative")
    String until;
    @Option(names = {"-t", "--timestamps"}, description = "Show timestamps")
    boolean timestamps;
    @Option(names = "--details", description = "Show extra details provided to logs")
    boolean details;
    @Parameters(index = "0", paramLabel = "CONTAINER")
    String ref;

    @Override
    int run(Berth berth) {
        Instant now = Instant.now();
        Optional<Long> lines = tail.equals("all") ? Optional.empty() : Optional.of(parseTail());
        Options.Logs options = new Options.Logs(follow, true, true, lines,
                Optional.ofNullable(since).map(s -> Times.parse("--since", s, now)),
                Optional.ofNullable(until).map(u -> Times.parse("--until", u, now)));
        try (Stream<Output> logs = berth.containers().logs(ref, options)) {
            logs.forEachOrdered(this::print);
        }
        out.flush();
        return 0;
    }

    private long parseTail() {
        try {
            return Long.parseLong(tail);
        } catch (NumberFormatException e) {
            // docker: anything not a number is "all"
            return -1;
        }
    }

    private void print(Output o) {
        PrintStream to = o.source() == Output.Source.STDERR ? err : out;
        if (timestamps && o.time().isPresent()) {
            to.print(Times.NANO_FIXED.format(o.time().get()) + " ");
        }
        to.write(o.data(), 0, o.data().length);
        to.flush();
    }
}
