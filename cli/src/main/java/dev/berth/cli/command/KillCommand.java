package dev.berth.cli.command;

import dev.berth.cli.client.Berth;
import dev.berth.cli.client.CliException;
import dev.berth.cli.container.ContainerIds;
import dev.berth.cli.container.Lifecycle;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth kill}: sends a signal (SIGKILL by default) to the container's init process. */
@Command(name = "kill", description = "Kill one or more running containers")
public final class KillCommand extends BaseCommand {
    private static final Map<String, Integer> SIGNALS = Map.ofEntries(Map.entry("HUP", 1), Map.entry("INT", 2),
            Map.entry("QUIT", 3), Map.entry("KILL", 9), Map.entry("USR1", 10), Map.entry("USR2", 12),
            Map.entry("PIPE", 13), Map.entry("ALRM", 14), Map.entry("TERM", 15), Map.entry("CONT", 18),
            Map.entry("STOP", 19), Map.entry("TSTP", 20), Map.entry("WINCH", 28));

    @Option(names = {"-s", "--signal"}, description = "Signal to send (name or number, default KILL)")
    String signal = "KILL";
    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> refs;

    @Override
    int run(Berth berth) {
        int number = signalNumber(signal);
        Lifecycle lifecycle = new Lifecycle(berth, json);
        for (String ref : refs) {
            String id = ContainerIds.resolve(berth, ref).getId();
            if (!lifecycle.isRunning(id)) {
                throw CliException.failed("Error response from daemon: Cannot kill container: " + ref
                        + ": container " + id + " is not running");
            }
            lifecycle.kill(id, number);
            System.out.println(ref);
        }
        return 0;
    }

    static int signalNumber(String signal) {
        String s = signal.toUpperCase(Locale.ROOT).replaceFirst("^SIG", "");
        if (s.matches("\\d+")) {
            return Integer.parseInt(s);
        }
        Integer n = SIGNALS.get(s);
        if (n == null) {
            throw CliException.failed("invalid signal: " + signal);
        }
        return n;
    }
}
