package dev.berth.it.manager.support;

import dev.berth.it.support.Background;
import dev.berth.it.support.CliResult;
import dev.berth.it.support.CommandLine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Debian's {@code ctr} (containerd 1.6) bound to one daemon address and one namespace: every call is
 * {@code ctr --address <socket> -n <namespace> <args>}. A call that outlives its timeout is killed by PID and fails
 * the test; stdout and stderr land in files under the {@link CommandLine}'s scratch dir.
 */
public final class Ctr {
    public static final String BINARY = "/usr/bin/ctr";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final String address;
    private final String namespace;
    private final CommandLine commandLine;

    public Ctr(String address, String namespace, CommandLine commandLine) {
        this.address = address;
        this.namespace = namespace;
        this.commandLine = commandLine;
    }

    /** The same daemon, another namespace. */
    public Ctr in(String otherNamespace) {
        return new Ctr(address, otherNamespace, commandLine);
    }

    public String namespace() {
        return namespace;
    }

    public CliResult run(String... args) {
        return run(DEFAULT_TIMEOUT, args);
    }

    public CliResult run(Duration timeout, String... args) {
        return commandLine.run(timeout, argv(args));
    }

    /** Starts a call that keeps running ({@code events}); the caller closes it, which kills it by PID. */
    public Background start(String... args) {
        return commandLine.start(argv(args), Map.of(), null);
    }

    /** The first column of a list verb's {@code -q} output ({@code tasks ls}, {@code containers ls}, …). */
    public List<String> ids(String... listCommand) {
        List<String> argv = new ArrayList<>(List.of(listCommand));
        argv.add("-q");
        return run(argv.toArray(String[]::new)).stdout().lines().map(String::strip).filter(l -> !l.isEmpty())
                .toList();
    }

    /** TASK → PID of {@code ctr tasks ls} for the RUNNING tasks. */
    public Map<String, String> runningTasks() {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        run("tasks", "ls").assertSuccess().stdout().lines().skip(1).map(l -> l.trim().split("\\s+"))
                .filter(c -> c.length == 3 && c[2].equals("RUNNING")).forEach(c -> out.put(c[0], c[1]));
        return out;
    }

    /** After a test: removes every task (forcibly), container and image of the namespace, then the namespace. */
    public void removeEverything() {
        for (String id : ids("tasks", "ls")) {
            run("tasks", "rm", "--force", id);
        }
        for (String id : ids("containers", "ls")) {
            run("containers", "rm", id);
        }
        for (String ref : ids("images", "ls")) {
            run("images", "rm", "--sync", ref);
        }
        run("namespaces", "rm", namespace);
    }

    private List<String> argv(String... args) {
        List<String> argv = new ArrayList<>(List.of(BINARY, "--address", address, "-n", namespace));
        argv.addAll(List.of(args));
        return argv;
    }
}
