package dev.berth.runtime.cli;

import java.util.List;

/** {@code pause ID} and {@code resume ID}: freeze or thaw every process of the container. */
final class PauseCommand implements Command {
    private final boolean pause;

    PauseCommand(boolean pause) {
        this.pause = pause;
    }

    @Override
    public int run(Context ctx, List<String> argv) {
        String verb = pause ? "pause" : "resume";
        Flags.Parsed p = new Flags().parse(argv, false);
        Command.requireArgs(p, verb, 1, 1);
        var container = ctx.runtime().load(verb, p.args().getFirst());
        if (pause) {
            container.pause();
        } else {
            container.resume();
        }
        return 0;
    }
}
