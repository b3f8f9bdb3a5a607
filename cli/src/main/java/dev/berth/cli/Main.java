package dev.berth.cli;

import dev.berth.cli.command.Session;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code berth}: reads the global options by hand, then hands the rest of the command line to the one verb it
 * names, and exits with docker's exit codes. {@code --help}, {@code --version} and the client half of
 * {@code version} are answered here without picocli, gRPC, Jackson or any verb's class: a CLI start costs what
 * its command needs and no more.
 */
public final class Main {
    static final String CLIENT_VERSION = "0.1.0-SNAPSHOT";

    private Main() {
    }

    public static void main(String[] args) {
        int status = run(args, System.getenv(), System.out, System.err);
        System.out.flush();
        System.err.flush();
        // not System.exit: since JDK 21 it first asks System.getLogger("java.lang.Runtime") whether to log the exit,
        // and finding no LoggerFinder takes a service lookup that opens every jar of the class path (30-60 ms of
        // --help). The CLI registers no shutdown hook: a command restores its terminal when it closes it.
        Runtime.getRuntime().halt(status);
    }

    static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
        GlobalOptions globals = new GlobalOptions(environment.getOrDefault("BERTH_ADDRESS", "/run/berth/berthd.sock"),
                environment.getOrDefault("BERTH_NAMESPACE", "default"), environment);
        int i = 0;
        boolean help = false;
        for (; i < args.length && args[i].startsWith("-"); i++) {
            String a = args[i];
            String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            switch (name) {
                case "-h", "--help" -> help = true;
                case "-v", "--version" -> {
                    out.println("berth version " + CLIENT_VERSION);
                    return 0;
                }
                case "-a", "--address", "-H", "--host", "-n", "--namespace", "--log-dir", "--snapshotter" -> {
                    String value;
                    if (a.contains("=")) {
                        value = a.substring(a.indexOf('=') + 1);
                    } else if (i + 1 < args.length) {
                        value = args[++i];
                    } else {
                        return usageError(err, "flag needs an argument: " + a, "berth");
                    }
                    globals = globals.with(name, value);
                }
                default -> {
                    return usageError(err, "unknown flag: " + a, "berth");
                }
            }
        }
        if (help || i == args.length) {
            Verbs.printUsage(out);
            return 0;
        }
        String verb = args[i];
        List<String> rest = new ArrayList<>(List.of(args).subList(i + 1, args.length));
        if (!Verbs.exists(verb)) {
            err.println("berth: '" + verb + "' is not a berth command.");
            err.println("See 'berth --help'");
            return 125;
        }
        // every verb talks to berthd, unless it is asked for its usage; run and create send docker's configuration
        List<Class<?>> documents = verb.equals("run") || verb.equals("create")
                ? List.of(dev.berth.model.ContainerConfig.class, dev.berth.model.HostConfig.class) : List.of();
        Session session = rest.contains("--help") ? globals : new ConnectAhead(globals, documents);
        if (verb.equals("version") && rest.isEmpty()) {
            return Version.print(session, out, err);
        }
        return Dispatch.execute(verb, rest.toArray(String[]::new), session, out, err);
    }

    static int usageError(PrintStream err, String message, String command) {
        err.println(message);
        err.println("See '" + command + " --help'.");
        return 125;
    }

    /** The global options as read from the command line and the environment. */
    record GlobalOptions(String address, String namespace, Map<String, String> environment) implements Session {
        GlobalOptions with(String option, String value) {
            return switch (option) {
                case "-a", "--address" -> new GlobalOptions(value, namespace, environment);
                // docker's -H unix:///path
                case "-H", "--host" -> new GlobalOptions(value.replaceFirst("^unix://", ""), namespace, environment);
                case "-n", "--namespace" -> new GlobalOptions(address, value, environment);
                // the engine keeps logs and chooses the snapshotter: accepted for old scripts, ignored
                default -> this;
            };
        }

        @Override
        public dev.berth.client.Berth connect() {
            return dev.berth.client.Berth.connect(java.nio.file.Path.of(address), namespace);
        }
    }
}
