package dev.berth.runtime.cli;

import java.util.List;

/** {@code kill [--all] ID [SIGNAL]}: SIGNAL is a number or a name, SIGTERM by default. */
final class KillCommand implements Command {
    @Override
    public int run(Context ctx, List<String> argv) {
        Flags.Parsed p = new Flags().bool("all", "a").parse(argv, false);
        Command.requireArgs(p, "kill", 1, 2);
        int signal = Signals.parse(p.args().size() == 2 ? p.args().get(1) : "SIGTERM");
        ctx.runtime().load("kill", p.args().getFirst()).kill(signal, p.has("all"));
        return 0;
    }
}
