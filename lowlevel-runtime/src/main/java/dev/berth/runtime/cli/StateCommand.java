package dev.berth.runtime.cli;

import dev.berth.runtime.spec.Json;
import java.util.List;

/** {@code state ID}: prints the runtime spec's state document. */
final class StateCommand implements Command {
    @Override
    public int run(Context ctx, List<String> argv) {
        Flags.Parsed p = new Flags().parse(argv, false);
        Command.requireArgs(p, "state", 1, 1);
        ctx.out.println(Json.writePretty(ctx.runtime().load("state", p.args().getFirst()).ociState(), 2));
        return 0;
    }
}
