package dev.berth.runtime.cli;

import dev.berth.runtime.container.ConsoleSocket;
import dev.berth.runtime.container.CreateOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** {@code create [--bundle DIR] [--pid-file F] [--console-socket S] [--no-pivot] [--no-new-keyring] [--preserve-fds N] ID}. */
final class CreateCommand implements Command {
    static Flags flags() {
        return new Flags().value("bundle", "b").value("pid-file").value("console-socket").bool("no-pivot")
                .bool("no-new-keyring").value("preserve-fds");
    }

    static CreateOptions options(Flags.Parsed p) {
        String console = p.get("console-socket", null);
        String pidFile = p.get("pid-file", null);
        int preserve;
        try {
            preserve = Integer.parseInt(p.get("preserve-fds", "0"));
        } catch (NumberFormatException e) {
            throw new Flags.UsageException("invalid value for --preserve-fds: " + p.get("preserve-fds", ""));
        }
        return new CreateOptions(console == null ? null : new ConsoleSocket.AtPath(Path.of(console).toAbsolutePath()),
                pidFile == null ? null : Path.of(pidFile).toAbsolutePath(), p.has("no-pivot"),
                p.has("no-new-keyring"), preserve, Map.of());
    }

    @Override
    public int run(Context ctx, List<String> argv) {
        Flags.Parsed p = flags().parse(argv, false);
        Command.requireArgs(p, "create", 1, 1);
        ctx.checkCanCreate();
        ctx.runtime().create(p.args().getFirst(), Path.of(p.get("bundle", ".")), options(p));
        return 0;
    }
}
