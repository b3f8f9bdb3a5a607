package dev.berth.runtime.cli;

import dev.berth.runtime.container.Container;
import dev.berth.runtime.container.ContainerException;
import dev.berth.runtime.container.CreateOptions;
import dev.berth.runtime.spec.Spec;
import dev.berth.sys.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code run [create flags] [--detach] [--keep] ID}: create and start; in the foreground, relay the console if the
 * process has a terminal, forward signals to the container, wait for it, delete it and exit with its status
 * (128 + signal if it was killed).
 */
final class RunCommand implements Command {
    @Override
    public int run(Context ctx, List<String> argv) throws IOException, InterruptedException {
        Flags.Parsed p = CreateCommand.flags().bool("detach", "d").bool("keep").bool("no-subreaper").parse(argv, false);
        Command.requireArgs(p, "run", 1, 1);
        ctx.checkCanCreate();
        boolean detach = p.has("detach");
        Path bundle = Path.of(p.get("bundle", "."));
        CreateOptions options = CreateCommand.options(p);
        boolean relay = !detach && options.consoleSocket() == null && Files.isReadable(bundle.resolve("config.json"))
                && terminal(bundle);
        if (!detach && !p.has("no-subreaper")) {
            ctx.sys().setChildSubreaper();
        }
        try (ConsoleRelay console = relay ? ConsoleRelay.open(ctx.sys(), ctx.sys()) : null) {
            if (console != null) {
                options = new CreateOptions(console.socket(), options.pidFile(), options.noPivot(),
                        options.noNewKeyring(), options.preserveFds(), options.stdio());
            }
            Container c = ctx.runtime().create(p.args().getFirst(), bundle, options);
            try {
                if (console != null) {
                    console.attach();
                }
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
            if (console != null) {
                console.drain();
            }
            if (!p.has("keep")) {
                c.delete(true);
            }
            return status.shellStatus();
        }
    }

    private static boolean terminal(Path bundle) throws IOException {
        Spec spec = Spec.load(bundle);
        return spec.process() != null && spec.process().terminal();
    }
}
