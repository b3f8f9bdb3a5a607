package dev.berth.runtime.cli;

import dev.berth.runtime.container.ContainerException;
import java.util.List;

/** {@code delete [--force] ID}: with --force, a missing container is not an error (runc's behaviour). */
final class DeleteCommand implements Command {
    @Override
    public int run(Context ctx, List<String> argv) {
        Flags.Parsed p = new Flags().bool("force", "f").parse(argv, false);
        Command.requireArgs(p, "delete", 1, 1);
        try {
            ctx.runtime().load("delete", p.args().getFirst()).delete(p.has("force"));
        } catch (ContainerException e) {
            if (!(p.has("force") && e.kind() == ContainerException.Kind.NOT_FOUND)) {
                throw e;
            }
        }
        return 0;
    }
}
