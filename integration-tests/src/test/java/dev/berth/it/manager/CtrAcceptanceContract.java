package dev.berth.it.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.manager.support.Ctr;
import dev.berth.it.manager.support.TestImage;
import dev.berth.it.manager.support.TestImages;
import dev.berth.it.support.Background;
import dev.berth.it.support.CgroupFs;
import dev.berth.it.support.CliResult;
import dev.berth.it.support.CommandLine;
import dev.berth.it.support.Wait;
import dev.berth.testsupport.Descriptor;
import dev.berth.testsupport.Json;
import dev.berth.testsupport.LocalRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What Debian's {@code ctr} (containerd 1.6) must see from a daemon: namespaces, pulls from a local registry,
 * content, snapshots, containers, the task lifecycle, events, layer whiteouts and bad input.
 *
 * <p>A subclass supplies one running daemon for the whole class: it starts it in its own {@code @BeforeAll} (which
 * JUnit runs after this class's, so the registry is up first) and stops it in its {@code @AfterAll} (run before
 * this class's). Every test works in a namespace of its own, so tests share the daemon but not state, and
 * {@link #removeNamespace()} empties and removes that namespace afterwards, also after a failure.
 *
 * <p>Checks compare data (ids, digests, states, exit codes, file listings), never column widths or wording that
 * containerd and berthd may print differently; where a message matters, only its errdefs kind is looked for
 * ("not found", "already exists").
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class CtrAcceptanceContract {
    private static final Duration BIG_PULL = Duration.ofSeconds(180);
    private static final Duration SETTLE = Duration.ofSeconds(20);

    private Path imagesDir;
    private LocalRegistry registry;
    private TestImages images;
    private String namespace;
    private Path fifoDir;
    private Ctr ctr;

    /** The daemon's gRPC socket, as {@code ctr --address} takes it. */
    protected abstract String address();

    /**
     * A directory that both this JVM and the daemon's shims reach under the same path: ctr's stdio FIFOs
     * ({@code --fifo-dir}) and the output of every ctr call go there.
     */
    protected abstract Path workDir();

    /**
     * The {@code --runtime} of {@code ctr run} and {@code ctr containers create} (a runtime name such as
     * {@code io.containerd.runc.v2} or a shim's absolute path); empty for the daemon's default.
     */
    protected abstract Optional<String> runtime();

    @BeforeAll
    final void startRegistryAndPushImages() throws IOException {
        imagesDir = Files.createTempDirectory("berth-it-images-");
        images = TestImages.build(imagesDir.resolve("layout"));
        registry = LocalRegistry.anonymous();
        images.pushTo(registry);
    }

    @AfterAll
    final void stopRegistry() throws IOException {
        if (registry != null) {
            registry.close();
        }
        if (imagesDir != null) {
            deleteTree(imagesDir);
        }
    }

    @BeforeEach
    final void newNamespace() throws IOException {
        byte[] r = new byte[4];
        ThreadLocalRandom.current().nextBytes(r);
        namespace = "ctr-it-" + HexFormat.of().formatHex(r);
        fifoDir = Files.createDirectories(workDir().resolve("fifo"));
        ctr = new Ctr(address(), namespace,
                new CommandLine(Files.createDirectories(workDir().resolve("calls").resolve(namespace))));
    }

    /** Removes every task, container and image of the test's namespace, then the namespace and its cgroup. */
    @AfterEach
    final void removeNamespace() {
        List<String> problems = new ArrayList<>();
        for (String id : quiet("tasks", "ls")) {
            if ("PAUSED".equals(taskStatus(id))) {
                ctr("tasks", "resume", id);
            }
            CliResult r = ctr("tasks", "rm", "--force", id);
            if (r.exitCode() != 0 && taskExists(id)) {
                problems.add(r.toString());
            }
        }
        for (String id : quiet("containers", "ls")) {
            keepFailure(problems, ctr("containers", "rm", id));
        }
        for (String ref : quiet("images", "ls")) {
            keepFailure(problems, ctr("images", "rm", "--sync", ref));
        }
        CliResult rm = ctr("namespaces", "rm", namespace);
        if (rm.exitCode() != 0 && quiet("namespaces", "ls").contains(namespace)) {
            problems.add(rm.toString());
        }
        CgroupFs.removeLeftovers("/" + namespace);
        if (!problems.isEmpty()) {
            throw new AssertionError("clean-up of namespace " + namespace + ":\n" + String.join("\n", problems));
        }
    }

    @Test
    void version_printsServerVersionAndUuid() {
        String out = ctr("version").assertSuccess().stdout();
        Map<String, String> server = section(out, "Server:");
        assertFalse(server.getOrDefault("Version", "").isBlank(), out);
        assertTrue(server.getOrDefault("UUID", "").matches("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}"), out);
        assertFalse(section(out, "Client:").getOrDefault("Version", "").isBlank(), out);
    }

    @Test
    void namespaces_createListRemove_nonEmptyRefused() {
        ctr("namespaces", "create", namespace, "berth.dev/it=yes").assertSuccess();
        assertEquals(List.of(namespace, "berth.dev/it=yes"), row(ctr("namespaces", "ls").stdout(), namespace));
        assertTrue(ctr("namespaces", "create", namespace).assertFailure().output().contains("already exists"));

        String ref = pull(images.busybox());
        CliResult refused = ctr("namespaces", "rm", namespace).assertFailure();
        assertTrue(quiet("namespaces", "ls").contains(namespace), refused.toString());

        ctr("images", "rm", "--sync", ref).assertSuccess();
        ctr("namespaces", "rm", namespace).assertSuccess();
        assertFalse(quiet("namespaces", "ls").contains(namespace));
    }

    @Test
    void imagesPull_listsImageContentAndCommittedSnapshot() {
        TestImage image = images.busybox();
        String ref = pull(image);

        assertEquals(List.of(ref), quiet("images", "ls"));
        List<String> listed = row(ctr("images", "ls").stdout(), ref);
        assertEquals(List.of(ref, Descriptor.MANIFEST, image.manifest().digest()), listed.subList(0, 3));
        assertEquals(Set.copyOf(image.blobDigests()), Set.copyOf(quiet("content", "ls")));
        assertEquals(List.of(new Snapshot(image.chainIds().getFirst(), "", "Committed")), snapshots());
    }

    @Test
    void run_rm_printsOutputAndLeavesNoContainer() {
        String ref = pull(images.busybox());
        CliResult r = runRm(ref, "id1", "echo", "hello").assertSuccess();
        assertEquals("hello\n", r.stdout());
        assertEquals(List.of(), quiet("containers", "ls"));
        assertEquals(List.of(), quiet("tasks", "ls"));
    }

    @Test
    void run_rm_exitCodeIsTheProcesses() {
        String ref = pull(images.busybox());
        assertEquals(42, runRm(ref, "id2", "sh", "-c", "exit 42").exitCode());
    }

    @Test
    void detachedTask_execPsPauseResumeMetricsKillDelete() {
        String ref = pull(images.busybox());
        String id = "id3";
        // pid 1 ignores signals it has no handler for; the trap makes SIGTERM end it with status 3
        List<String> run = new ArrayList<>(List.of("run", "-d"));
        run.addAll(runtimeFlags());
        run.addAll(List.of("--fifo-dir", fifoDir.toString(), ref, id, "sh", "-c",
                "trap 'exit 3' TERM; while true; do sleep 1000 & wait; done"));
        ctr(run.toArray(String[]::new)).assertSuccess();
        assertEquals("RUNNING", taskStatus(id));
        String pid = row(ctr("tasks", "ls").stdout(), id).get(1);

        CliResult exec = ctr("tasks", "exec", "--fifo-dir", fifoDir.toString(), "--exec-id", "e1", id, "echo", "hi");
        assertEquals("hi\n", exec.assertSuccess().stdout());

        // the init process and its sleep, by host pid
        Wait.until("task ps shows init " + pid + " and its child", SETTLE, () -> {
            List<String> pids = column(ctr("tasks", "ps", id).assertSuccess().stdout(), 0);
            return pids.contains(pid) && pids.size() >= 2;
        });

        ctr("tasks", "pause", id).assertSuccess();
        assertEquals("PAUSED", taskStatus(id));
        ctr("tasks", "resume", id).assertSuccess();
        assertEquals("RUNNING", taskStatus(id));

        String metrics = ctr("tasks", "metrics", id).assertSuccess().stdout();
        List<String> pidsCurrent = row(metrics, "pids.current");
        assertTrue(Long.parseLong(pidsCurrent.get(1)) >= 2, metrics);

        ctr("tasks", "kill", id).assertSuccess();
        Wait.until("task " + id + " stopped", SETTLE, () -> "STOPPED".equals(taskStatus(id)));
        // ctr (client-side, whatever the daemon) warns with the exit status that Delete returned
        CliResult deleted = ctr("tasks", "rm", id).assertSuccess();
        assertTrue(deleted.stderr().contains("non-zero exit code 3"), deleted.toString());
        assertFalse(taskExists(id));
        ctr("containers", "rm", id).assertSuccess();
        assertEquals(List.of(), quiet("containers", "ls"));
    }

    @Test
    void containers_createListInfoRemove() {
        TestImage image = images.busybox();
        String ref = pull(image);
        createContainer("--label", "berth.dev/it=c1", ref, "c1").assertSuccess();
        createContainer(ref, "c2").assertSuccess();

        String ls = ctr("containers", "ls").stdout();
        assertEquals(List.of("c1", ref), row(ls, "c1").subList(0, 2));
        assertEquals(List.of("c2", ref), row(ls, "c2").subList(0, 2));
        assertEquals(List.of("c1", "c2"), quiet("containers", "ls").stream().sorted().toList());

        Map<String, Object> info = Json.parseObject(ctr("containers", "info", "c1").assertSuccess().stdout());
        assertEquals(ref, info.get("Image"));
        assertEquals("c1", info.get("SnapshotKey"));
        assertEquals("c1", ((Map<?, ?>) info.get("Labels")).get("berth.dev/it"));
        assertEquals(List.of("sh"), ((Map<?, ?>) ((Map<?, ?>) info.get("Spec")).get("process")).get("args"));
        assertTrue(snapshots().contains(new Snapshot("c1", image.chainIds().getFirst(), "Active")), snapshots()
                .toString());

        ctr("containers", "rm", "c1", "c2").assertSuccess();
        assertEquals(List.of(), quiet("containers", "ls"));
        assertEquals(List.of(new Snapshot(image.chainIds().getFirst(), "", "Committed")), snapshots());
    }

    @Test
    void imagesRm_sync_collectsContentAndSnapshots() {
        String ref = pull(images.busybox());
        assertFalse(quiet("content", "ls").isEmpty());

        ctr("images", "rm", "--sync", ref).assertSuccess();
        assertEquals(List.of(), quiet("images", "ls"));
        assertEquals(List.of(), quiet("content", "ls"));
        assertEquals(List.of(), snapshots());
    }

    @Test
    void events_showTaskStartAndExit() {
        String ref = pull(images.busybox());
        try (Background events = ctr.start("events")) {
            // The subscription is in place once an event caused after starting ctr events reaches it: relabelling
            // the namespace publishes /namespaces/update (containerd's namespaces service), cheap to repeat.
            int[] probe = {0};
            Wait.until("ctr events subscribed", SETTLE, () -> {
                ctr("namespaces", "label", namespace, "berth.dev/probe=" + probe[0]++).assertSuccess();
                return !eventLines(events, "/namespaces/update").isEmpty();
            });

            assertEquals(7, runRm(ref, "ev1", "sh", "-c", "exit 7").exitCode());
            Wait.until("/tasks/exit of ev1", SETTLE, () -> !eventLines(events, "/tasks/exit").isEmpty());
            List<String> starts = eventLines(events, "/tasks/start");
            List<String> exits = eventLines(events, "/tasks/exit");
            assertEquals(1, starts.size(), events.stdout());
            assertTrue(starts.getFirst().contains("\"container_id\":\"ev1\""), events.stdout());
            assertEquals(1, exits.size(), events.stdout());
            assertTrue(exits.getFirst().contains("\"container_id\":\"ev1\""), events.stdout());
            assertTrue(exits.getFirst().contains("\"exit_status\":7"), events.stdout());
        }
    }

    @Test
    void whiteouts_upperLayerDeletesFileAndHidesDirectory() {
        TestImage image = images.whiteout();
        String ref = pull(image);
        CliResult r = runRm(ref, "wh1", "sh", "-c", "ls -a /data /data/dir && echo --- && cat /keep").assertSuccess();

        String[] parts = r.stdout().split("---\n", 2);
        Map<String, List<String>> expected = new LinkedHashMap<>();
        TestImages.WHITEOUT_LISTING.forEach((dir, names) -> {
            List<String> all = new ArrayList<>(List.of(".", ".."));
            all.addAll(names);
            expected.put(dir, all);
        });
        assertEquals(expected, listing(parts[0]), r.stdout());
        assertEquals(TestImages.WHITEOUT_KEEP, parts[1], r.stdout());
        assertEquals(Set.copyOf(image.chainIds()), Set.copyOf(snapshots().stream().map(Snapshot::key).toList()));
    }

    @Test
    void sixLayers_pullUnpacksChainAndBigFileIsWhole() {
        TestImage image = images.layers5();
        String ref = pull(image, BIG_PULL);
        assertEquals(Set.copyOf(image.blobDigests()), Set.copyOf(quiet("content", "ls")));

        List<Snapshot> chain = new ArrayList<>();
        List<String> ids = image.chainIds();
        for (int i = 0; i < ids.size(); i++) {
            chain.add(new Snapshot(ids.get(i), i == 0 ? "" : ids.get(i - 1), "Committed"));
        }
        assertEquals(Set.copyOf(chain), Set.copyOf(snapshots()));

        CliResult r = runRm(ref, "big1", "sh", "-c", "stat -c %s " + TestImages.BIG_FILE
                + " && cat /layers/top && ls /layers").assertSuccess();
        assertEquals(List.of(String.valueOf(TestImages.BIG_FILE_SIZE), TestImages.LAYERS5_TOP,
                "1", "2", "3", "4", "5", "fill-1", "fill-2", "fill-4", "top"), r.stdout().lines().toList());
    }

    @Test
    void imagesPull_unknownTag_failsNotFound() {
        CliResult r = ctr("images", "pull", "--plain-http", registry.host() + "/busybox:no-such-tag")
                .assertFailure();
        assertTrue(r.output().contains("not found"), r.toString());
        assertEquals(List.of(), quiet("images", "ls"));
    }

    @Test
    void tasksStart_unknownContainer_failsNotFound() {
        CliResult r = ctr("tasks", "start", "--fifo-dir", fifoDir.toString(), "no-such-container").assertFailure();
        assertTrue(r.output().contains("not found"), r.toString());
    }

    @Test
    void containersCreate_twice_failsAlreadyExists() {
        String ref = pull(images.busybox());
        createContainer(ref, "dup").assertSuccess();
        CliResult again = createContainer(ref, "dup").assertFailure();
        assertTrue(again.output().contains("already exists"), again.toString());
        assertEquals(List.of("dup"), quiet("containers", "ls"));
    }

    // --- ctr calls in the test's namespace

    private CliResult ctr(String... args) {
        return ctr.run(args);
    }

    private String pull(TestImage image) {
        return pull(image, Ctr.DEFAULT_TIMEOUT);
    }

    /** {@code ctr images pull --plain-http}: ctr fetches client-side and writes content through the daemon. */
    private String pull(TestImage image, Duration timeout) {
        String ref = image.reference(registry);
        ctr.run(timeout, "images", "pull", "--plain-http", ref).assertSuccess();
        return ref;
    }

    private List<String> runtimeFlags() {
        return runtime().map(r -> List.of("--runtime", r)).orElse(List.of());
    }

    /** {@code ctr run --rm} in the foreground: returns with the process's exit code and output. */
    private CliResult runRm(String ref, String id, String... command) {
        List<String> argv = new ArrayList<>(List.of("run", "--rm"));
        argv.addAll(runtimeFlags());
        argv.addAll(List.of("--fifo-dir", fifoDir.toString(), ref, id));
        argv.addAll(List.of(command));
        return ctr(argv.toArray(String[]::new));
    }

    private CliResult createContainer(String... flagsRefAndId) {
        List<String> argv = new ArrayList<>(List.of("containers", "create"));
        argv.addAll(runtimeFlags());
        argv.addAll(List.of(flagsRefAndId));
        return ctr(argv.toArray(String[]::new));
    }

    /** The lines of a {@code -q} listing. */
    private List<String> quiet(String... listCommand) {
        List<String> argv = new ArrayList<>(List.of(listCommand));
        argv.add("-q");
        return ctr(argv.toArray(String[]::new)).assertSuccess().stdout().lines().map(String::strip)
                .filter(l -> !l.isEmpty()).toList();
    }

    /** The STATUS of {@code ctr tasks ls} (TASK PID STATUS) for one task. */
    private String taskStatus(String id) {
        return row(ctr("tasks", "ls").assertSuccess().stdout(), id).get(2);
    }

    private boolean taskExists(String id) {
        return quiet("tasks", "ls").contains(id);
    }

    /** {@code ctr snapshots ls} (KEY PARENT KIND) of the default snapshotter; PARENT is empty for a base layer. */
    private List<Snapshot> snapshots() {
        List<Snapshot> all = new ArrayList<>();
        for (List<String> r : rows(ctr("snapshots", "ls").assertSuccess().stdout())) {
            all.add(r.size() == 3 ? new Snapshot(r.get(0), r.get(1), r.get(2)) : new Snapshot(r.get(0), "", r.get(1)));
        }
        return all;
    }

    record Snapshot(String key, String parent, String kind) {}

    /** Lines of {@code ctr events} ({@code TIMESTAMP NAMESPACE TOPIC JSON}) in this test's namespace. */
    private List<String> eventLines(Background events, String topic) {
        return events.stdout().lines().filter(l -> {
            List<String> words = List.of(l.split("\\s+"));
            int at = words.indexOf(topic);
            return at > 0 && words.get(at - 1).equals(namespace);
        }).toList();
    }

    // --- parsing ctr's output: data, not layout

    /** The whitespace-separated fields of each line of a table after its header line. */
    private static List<List<String>> rows(String table) {
        return table.lines().skip(1).map(String::strip).filter(l -> !l.isEmpty())
                .map(l -> List.of(l.split("\\s+"))).toList();
    }

    /** The fields of the one row whose first field is {@code first}. */
    private static List<String> row(String table, String first) {
        List<List<String>> found = rows(table).stream().filter(r -> r.getFirst().equals(first)).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one row " + first + " in:\n" + table);
        }
        return found.getFirst();
    }

    private static List<String> column(String table, int index) {
        return rows(table).stream().map(r -> r.get(index)).toList();
    }

    /** The {@code Key: value} lines under a heading of {@code ctr version}. */
    private static Map<String, String> section(String out, String heading) {
        Map<String, String> fields = new LinkedHashMap<>();
        boolean in = false;
        for (String line : out.lines().toList()) {
            if (!line.startsWith(" ") && !line.isBlank()) {
                in = line.strip().equals(heading);
            } else if (in && line.contains(":")) {
                fields.put(line.substring(0, line.indexOf(':')).strip(), line.substring(line.indexOf(':') + 1)
                        .strip());
            }
        }
        return fields;
    }

    /** {@code ls -a DIR...} output (a {@code DIR:} heading, one name per line, blank line between) by directory. */
    private static Map<String, List<String>> listing(String out) {
        Map<String, List<String>> dirs = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : out.lines().toList()) {
            if (line.endsWith(":")) {
                current = new ArrayList<>();
                dirs.put(line.substring(0, line.length() - 1), current);
            } else if (!line.isBlank() && current != null) {
                current.add(line.strip());
            }
        }
        dirs.replaceAll((dir, names) -> names.stream().sorted().toList());
        return dirs;
    }

    private static void keepFailure(List<String> problems, CliResult r) {
        if (r.exitCode() != 0) {
            problems.add(r.toString());
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
