package dev.berth.runtime.cli;

import java.util.List;

/** {@code start ID}: releases a created container's process. */
final class StartCommand implements Command {
    @Override
    public int run(Context ctx, List<String> argv) {
        Flags.Parsed p = new Flags().parse(argv, false);
        Command.requireArgs(p, "start", 1, 1);
        ctx.runtime().load("start", p.args().getFirst()).start();
        return 0;
    }
}
