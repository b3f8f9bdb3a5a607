package dev.berth.runtime.cli;

import dev.berth.runtime.container.ContainerException;
import dev.berth.runtime.spec.JsonException;
import dev.berth.runtime.spec.SpecException;
import dev.berth.sys.LinuxSyscalls;
import dev.berth.sys.SyscallException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The berth-runtime command line: runc's global flags and verbs, each verb a {@link Command}. */
public final class Main {
    static final String VERSION = "0.1.0";
    static final String SPEC_VERSION = dev.berth.runtime.spec.Features.OCI_VERSION_MAX;

    private static final Map<String, Command> COMMANDS = Map.ofEntries(
            Map.entry("create", new CreateCommand()),
            Map.entry("start", new StartCommand()),
            Map.entry("state", new StateCommand()),
            Map.entry("kill", new KillCommand()),
            Map.entry("delete", new DeleteCommand()),
            Map.entry("run", new RunCommand()),
            Map.entry("exec", new ExecCommand()),
            Map.entry("ps", new PsCommand()),
            Map.entry("list", new ListCommand()),
            Map.entry("pause", new PauseCommand(true)),
            Map.entry("resume", new PauseCommand(false)),
            Map.entry("update", new UpdateCommand()),
            Map.entry("events", new EventsCommand()),
            Map.entry("features", new FeaturesCommand()),
            Map.entry("spec", new SpecCommand()),
            Map.entry("aot-training", new AotTraining()));

    private Main() {}

    public static void main(String[] args) {
        PrintStream out = System.out;
        // bin/berth-runtime names the JNI library; from the build tree it is found beside berth-sys's classes
        String library = System.getProperty("berth.syscall.lib");
        int status = run(List.of(args), library != null ? Path.of(library) : LinuxSyscalls.builtLibrary(), out,
                System.err);
        out.flush();
        System.exit(status);
    }

    static int run(List<String> argv, Path syscallLibrary, PrintStream out, PrintStream err) {
        Flags global = new Flags().value("root").value("log").value("log-format").bool("debug")
                .bool("systemd-cgroup").value("rootless").value("criu").bool("version", "v").bool("help", "h");
        Log log = new Log(null, "text", false, err);
        try {
            Flags.Parsed g = global.parse(argv, false);
            String logFile = g.get("log", null);
            log = new Log(logFile == null || logFile.isEmpty() ? null : Path.of(logFile), g.get("log-format", "text"),
                    g.has("debug"), err);
            if (g.has("version")) {
                out.println("berth-runtime version " + VERSION + "\nspec: " + SPEC_VERSION);
                return 0;
            }
            if (g.args().isEmpty() || g.has("help")) {
                out.println(usage());
                return g.args().isEmpty() && !g.has("help") ? 1 : 0;
            }
            String verb = g.args().getFirst();
            Command command = COMMANDS.get(verb);
            if (command == null) {
                throw new Flags.UsageException("no such command: " + verb);
            }
            Context ctx = new Context(Path.of(g.get("root", "/run/berth/runtime")),
                    Path.of(System.getProperty("berth.init", "berth-init")), log, out, g.has("systemd-cgroup"),
                    syscallLibrary);
            log.debug("berth-runtime " + String.join(" ", argv));
            return command.run(ctx, g.args().subList(1, g.args().size()));
        } catch (ContainerException | SpecException | JsonException | SyscallException | Flags.UsageException
                 | UncheckedIOException | IllegalStateException e) {
            log.error(e.getMessage());
            return 1;
        } catch (IOException e) {
            log.error(e.getMessage() == null ? e.toString() : e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.error("interrupted");
            return 1;
        }
    }

    private static String usage() {
        return """
                berth-runtime: an OCI runtime, a runc drop-in

                usage: berth-runtime [--root DIR] [--log FILE] [--log-format text|json] [--debug] COMMAND [ARGS]

                commands: create, start, state, kill, delete, run, exec, ps, list, pause, resume, update, events,
                          features, spec""";
    }
}
