package dev.berth.runtime.cli;

import dev.berth.runtime.container.Container;
import dev.berth.runtime.container.ConsoleSocket;
import dev.berth.runtime.container.ExecOptions;
import dev.berth.runtime.spec.JsonObject;
import dev.berth.runtime.spec.Spec;
import dev.berth.sys.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code exec [--process FILE | flags] ID [COMMAND ARGS…]}: without --process the container's own process is the
 * base, as in runc, and the flags change it. In the foreground, waits and exits with the process's status.
 */
final class ExecCommand implements Command {
    @Override
    public int run(Context ctx, List<String> argv) throws IOException, InterruptedException {
        Flags.Parsed p = new Flags().value("process", "p").bool("detach", "d").value("pid-file")
                .value("console-socket").bool("tty", "t").multi("env", "e").value("cwd").value("user", "u")
                .multi("cap", "c").bool("no-new-privs").value("apparmor").value("process-label")
                .value("preserve-fds").value("cgroup").multi("additional-gids", "g").bool("ignore-paused")
                .parse(argv, false);
        if (p.args().isEmpty()) {
            throw new Flags.UsageException("\"exec\" requires a container id");
        }
        Container c = ctx.runtime().load("exec", p.args().getFirst());
        Spec.Process process = p.has("process") ? readProcess(p.get("process", "")) : fromFlags(c, p);
        String console = p.get("console-socket", null);
        boolean relay = process.terminal() && console == null;
        if (relay && p.has("detach")) {
            throw new Flags.UsageException("exec: cannot allocate tty if runc will detach without setting console socket");
        }
        String pidFile = p.get("pid-file", null);
        try (ConsoleRelay relayed = relay ? ConsoleRelay.open(ctx.sys(), ctx.sys()) : null) {
            ConsoleSocket socket = relayed != null ? relayed.socket()
                    : console == null ? null : new ConsoleSocket.AtPath(Path.of(console).toAbsolutePath());
            int pid = c.exec(process, new ExecOptions(socket, pidFile == null ? null : Path.of(pidFile).toAbsolutePath(),
                    Integer.parseInt(p.get("preserve-fds", "0")), Map.of()));
            if (relayed != null) {
                relayed.attach();
            }
            if (p.has("detach")) {
                return 0;
            }
            SignalForwarder.forwardTo(ctx.sys(), pid);
            Syscalls.ExitStatus status = ctx.sys().waitpid(pid, false).orElseThrow();
            if (relayed != null) {
                relayed.drain();
            }
            return status.shellStatus();
        }
    }

    private static Spec.Process readProcess(String file) throws IOException {
        String text = file.equals("-") ? new String(System.in.readAllBytes()) : Files.readString(Path.of(file));
        return Spec.Process.fromJson(JsonObject.parse(text));
    }

    private static Spec.Process fromFlags(Container c, Flags.Parsed p) {
        Spec.Process base = c.configProcess();
        List<String> args = p.args().subList(1, p.args().size());
        if (args.isEmpty()) {
            throw new Flags.UsageException("exec: no command given: pass COMMAND or --process");
        }
        List<String> env = new ArrayList<>(base.env());
        for (String kv : p.all("env")) {
            // a variable given again replaces the spec's, in place
            String key = kv.contains("=") ? kv.substring(0, kv.indexOf('=') + 1) : kv + "=";
            env.removeIf(e -> e.startsWith(key));
            env.add(kv);
        }
        Spec.User user = base.user();
        if (p.has("user")) {
            String[] ug = p.get("user", "").split(":", 2);
            user = new Spec.User(Long.parseLong(ug[0]), ug.length > 1 ? Long.parseLong(ug[1]) : 0, user.umask(),
                    List.of(), null);
        }
        if (!p.all("additional-gids").isEmpty()) {
            user = new Spec.User(user.uid(), user.gid(), user.umask(),
                    p.all("additional-gids").stream().map(Long::parseLong).toList(), null);
        }
        Spec.Capabilities caps = base.capabilities();
        if (caps != null && !p.all("cap").isEmpty()) {
            caps = new Spec.Capabilities(plus(caps.bounding(), p.all("cap")), plus(caps.effective(), p.all("cap")),
                    plus(caps.inheritable(), p.all("cap")), plus(caps.permitted(), p.all("cap")),
                    plus(caps.ambient(), p.all("cap")));
        }
        return new Spec.Process(p.has("tty"), 0, 0, user, List.copyOf(args), List.copyOf(env),
                p.get("cwd", base.cwd()), caps, base.rlimits(), base.noNewPrivileges() || p.has("no-new-privs"),
                p.get("apparmor", ""), base.oomScoreAdj(), p.get("process-label", ""), null, null);
    }

    private static List<String> plus(List<String> set, List<String> more) {
        List<String> out = new ArrayList<>(set);
        more.stream().filter(c -> !out.contains(c)).forEach(out::add);
        return List.copyOf(out);
    }
}
