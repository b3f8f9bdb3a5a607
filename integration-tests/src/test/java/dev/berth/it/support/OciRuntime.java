package dev.berth.it.support;

import dev.berth.testsupport.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A typed client of an OCI runtime's command line (runc's verbs), always with a private state directory.
 *
 * <p>Every call passes {@code --root <private dir> --log <file> --log-format json} the way containerd's shim does,
 * so tests never see {@code /run/runc} or another instance's containers. Ids of containers created through this
 * client are remembered, and {@link #deleteAllForced()} removes them after the test, also after a failure.
 */
public final class OciRuntime {
    /** Long enough for a JVM-based runtime on a loaded CI machine, short enough to fail a hung call quickly. */
    public static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Path binary;
    private final Path root;
    private final Path log;
    private final CommandLine commandLine;
    private final Set<String> created = new LinkedHashSet<>();
    private final List<Background> background = new ArrayList<>();

    public OciRuntime(Path binary, Path root, Path log, CommandLine commandLine) {
        this.binary = binary;
        this.root = root;
        this.log = log;
        this.commandLine = commandLine;
    }

    public Path binary() {
        return binary;
    }

    /** The private {@code --root}: where the runtime keeps {@code <id>/state.json}. */
    public Path root() {
        return root;
    }

    public Path log() {
        return log;
    }

    /** The argv for a verb with the global flags in front. */
    public List<String> argv(String... verbAndArgs) {
        List<String> argv = new ArrayList<>(List.of(binary.toString(), "--root", root.toString(), "--log",
                log.toString(), "--log-format", "json"));
        argv.addAll(List.of(verbAndArgs));
        return argv;
    }

    /** Runs any verb and returns what happened, success or not. */
    public CliResult call(String... verbAndArgs) {
        return commandLine.run(TIMEOUT, argv(verbAndArgs));
    }

    /** Runs a verb with input on stdin. */
    public CliResult callWithInput(String stdin, String... verbAndArgs) {
        return commandLine.run(TIMEOUT, argv(verbAndArgs), Map.of(), stdin);
    }

    /** Starts a verb that keeps running (a foreground {@code run}, {@code events}); it is killed after the test. */
    public Background spawn(String... verbAndArgs) {
        Background bg = commandLine.start(argv(verbAndArgs), Map.of(), null);
        background.add(bg);
        return bg;
    }

    /** Remembers an id so that the test's clean-up force-deletes it. */
    public void track(String id) {
        created.add(id);
    }

    public CliResult create(String id, Bundle bundle, String... flags) {
        bundle.writeConfig();
        track(id);
        return call(concat(List.of("create", "--bundle", bundle.dir().toString()), flags, id));
    }

    public CliResult start(String id) {
        return call("start", id);
    }

    /** {@code run} in the foreground: returns when the container's process has exited. */
    public CliResult run(String id, Bundle bundle, String... flags) {
        bundle.writeConfig();
        track(id);
        return call(concat(List.of("run", "--bundle", bundle.dir().toString()), flags, id));
    }

    /** {@code run} in the foreground, but without waiting for it. */
    public Background spawnRun(String id, Bundle bundle, String... flags) {
        bundle.writeConfig();
        track(id);
        return spawn(concat(List.of("run", "--bundle", bundle.dir().toString()), flags, id));
    }

    /** create + start, asserting both; the container runs its process afterwards. */
    public CliResult createAndStart(String id, Bundle bundle) {
        CliResult created = create(id, bundle).assertSuccess();
        start(id).assertSuccess();
        return created;
    }

    public CliResult kill(String id, String signal) {
        return call("kill", id, signal);
    }

    public CliResult delete(String id) {
        return call("delete", id);
    }

    /** {@code state <id>} parsed; fails the test if the call fails. */
    public Map<String, Object> state(String id) {
        return Json.parseObject(call("state", id).assertSuccess().stdout());
    }

    public String status(String id) {
        return (String) state(id).get("status");
    }

    /** Polls {@code state} until the container exists and has a status (a spawned run may not have created it yet). */
    public void awaitStatus(String id, String status, Duration timeout) {
        Wait.until("container " + id + " status " + status, timeout, () -> {
            CliResult r = call("state", id);
            return r.succeeded() && status.equals(Json.parseObject(r.stdout()).get("status"));
        });
    }

    /** {@code exec [flags] <id> <command...>}. */
    public CliResult execWith(List<String> flags, String id, String... command) {
        List<String> argv = new ArrayList<>(List.of("exec"));
        argv.addAll(flags);
        argv.add(id);
        argv.addAll(List.of(command));
        return call(argv.toArray(String[]::new));
    }

    /** {@code exec <id> <command...>} with no flags. */
    public CliResult execIn(String id, String... command) {
        return execWith(List.of(), id, command);
    }

    /** The runtime's json log so far, for failure messages. */
    public String logText() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (java.io.IOException e) {
            return "(unreadable log: " + e + ")";
        }
    }

    /** Clean-up: kills what the suite spawned, then {@code delete --force} of every tracked id. */
    public List<String> deleteAllForced() {
        List<String> problems = new ArrayList<>();
        for (Background bg : background) {
            bg.close();
        }
        for (String id : created) {
            CliResult r = call("delete", "--force", id);
            // A container that was never created, or already deleted by the test, is fine.
            if (!r.succeeded() && !r.output().contains("does not exist") && !r.output().contains("not exist")) {
                problems.add(r.toString());
            }
        }
        return problems;
    }

    private static String[] concat(List<String> head, String[] flags, String id) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(flags));
        all.add(id);
        return all.toArray(String[]::new);
    }
}
