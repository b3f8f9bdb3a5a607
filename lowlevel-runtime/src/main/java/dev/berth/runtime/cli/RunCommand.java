package dev.berth.runtime.cli;

import dev.berth.runtime.container.Container;
import dev.berth.runtime.container.ContainerException;
import dev.berth.runtime.syscall.Syscalls;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code run [create flags] [--detach] [--keep] ID}: create and start; in the foreground, forward signals to the
 * container, wait for it, delete it and exit with its status (128 + signal if it was killed).
 */
final class RunCommand implements Command {
    @Override
    public int run(Context ctx, List<String> argv) {
        Flags.Parsed p = CreateCommand.flags().bool("detach", "d").bool("keep").bool("no-subreaper").parse(argv, false);
        Command.requireArgs(p, "run", 1, 1);
        ctx.checkCanCreate();
        boolean detach = p.has("detach");
        if (!detach && !p.has("no-subreaper")) {
            ctx.sys().setChildSubreaper();
        }
        Container c = ctx.runtime().create(p.args().getFirst(), Path.of(p.get("bundle", ".")),
                CreateCommand.options(p));
        try {
            c.start();
        } catch (ContainerException e) {
            c.delete(true);
            throw e;
        }
        if (detach) {
            return 0;
        }
        SignalForwarder.forwardTo(ctx.sys(), c.pid());
        Syscalls.ExitStatus status = ctx.sys().waitpid(c.pid(), false).orElseThrow();
        if (!p.has("keep")) {
            c.delete(true);
        }
        return status.shellStatus();
    }
}
