package dev.berth.manager.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.api.events.TaskExit;
import dev.berth.manager.event.Envelope;
import dev.berth.manager.event.Exchange;
import dev.berth.manager.event.Subscription;
import dev.berth.manager.task.shim.ProcessExit;
import dev.berth.manager.task.shim.ShimClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ShimTasks} against a real shim running real containers: each subclass names the shim. The rootfs is one
 * busybox directory, passed to the shim as a bind mount; every test has its own temp dir (state root, sockets),
 * namespace and cgroup parent, and removes what it made, killing only processes it started.
 */
abstract class ShimTasksContract {
    private static final Duration WAIT = Duration.ofSeconds(20);

    /** The shim table for this run, given the test's temp dir. */
    abstract ShimBinaries binaries(Path tmp) throws IOException;

    /** The runtime options sent with create. */
    abstract Optional<Any> options();

    /** Whether a task outlives its shim's death (berth-shim: the group's next server takes it over). */
    abstract boolean takesOverAfterShimDeath();

    private final List<String> ids = new ArrayList<>();
    private TaskSandbox sandbox;
    Path tmp;
    private String namespace;
    private Exchange exchange;
    private ShimBinaries binaries;
    private ShimTasks tasks;

    @BeforeEach
    void setUp() throws Exception {
        sandbox = TaskSandbox.create();
        tmp = sandbox.tmp();
        namespace = sandbox.namespace();
        exchange = sandbox.exchange();
        binaries = binaries(tmp);
        tasks = newInstance();
    }

    private ShimTasks newInstance() {
        return sandbox.newTasks(binaries);
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            sandbox.removeTasks(sandbox.instances().getLast(), ids);
        } finally {
            sandbox.close();
        }
    }

    // --- tests ---

    @Test
    void echo_writesItsOutput_andTheLifecycleIsPublished() throws Exception {
        Path out = Files.createFile(tmp.resolve("out"));
        try (Subscription subscription = exchange.subscribe(List.of("namespace==" + namespace))) {
            String id = create(List.of("/bin/echo", "hi"), output(out));
            assertEquals(TaskStatus.CREATED, tasks.get(ProcessRef.init(namespace, id)).status());
            int pid = tasks.start(ProcessRef.init(namespace, id));
            assertTrue(pid > 0);
            assertEquals(0, tasks.wait(ProcessRef.init(namespace, id)).exitStatus());
            TaskState stopped = tasks.get(ProcessRef.init(namespace, id));
            assertEquals(TaskStatus.STOPPED, stopped.status());
            assertEquals(out.toString(), stopped.stdio().stdout());
            assertEquals("hi\n", Files.readString(out));

            ProcessExit deleted = tasks.delete(namespace, id);
            assertEquals(0, deleted.exitStatus());
            assertEquals(ErrorKind.NOT_FOUND, assertThrows(BerthException.class,
                    () -> tasks.get(ProcessRef.init(namespace, id))).kind());
            assertFalse(Files.exists(Bundle.dir(tmp.resolve("state"), namespace, id)), "bundle removed");
            assertEquals(List.of(), MountInfo.at(tmp));

            List<String> topics = new ArrayList<>();
            while (!topics.contains("/tasks/delete")) {
                Envelope e = subscription.poll(WAIT).orElseThrow(() -> new AssertionError("events: " + topics));
                topics.add(e.topic());
            }
            assertEquals(List.of("/tasks/create", "/tasks/start", "/tasks/exit", "/tasks/delete"), topics);
        }
    }

    @Test
    void exitCode_comesFromWaitAndDelete_andIsKeptAsTheLastExit() throws Exception {
        String id = create(List.of("sh", "-c", "exit 42"), Stdio.NONE);
        tasks.start(ProcessRef.init(namespace, id));
        assertEquals(42, tasks.wait(ProcessRef.init(namespace, id)).exitStatus());
        TaskState state = tasks.get(ProcessRef.init(namespace, id));
        assertEquals(42, state.exitStatus());
        assertTrue(state.exitedAt().isPresent());
        assertEquals(42, tasks.delete(namespace, id).exitStatus());
    }

    @Test
    void runningTask_execPauseResumePidsKill_thenDeleteReportsTheSignal() throws Exception {
        String id = create(List.of("sleep", "1000"), Stdio.NONE);
        ProcessRef init = ProcessRef.init(namespace, id);
        tasks.start(init);
        assertEquals(TaskStatus.RUNNING, tasks.get(init).status());
        BerthException running = assertThrows(BerthException.class, () -> tasks.delete(namespace, id));
        assertTrue(running.getMessage().contains(id), running.getMessage());
        assertEquals(List.of(id), tasks.list(namespace).stream().map(TaskState::containerId).toList());

        Path out = Files.createFile(tmp.resolve("exec-out"));
        ProcessRef exec = ProcessRef.exec(namespace, id, "probe");
        tasks.exec(new ExecCreate(exec, TestSpecs.execProcess(List.of("sh", "-c", "echo exec-ok; exit 3")),
                output(out)));
        assertTrue(tasks.start(exec) > 0);
        assertEquals(3, tasks.wait(exec).exitStatus());
        assertEquals(3, tasks.deleteProcess(exec).exitStatus());
        assertEquals("exec-ok\n", Files.readString(out));

        tasks.pause(namespace, id);
        assertEquals(TaskStatus.PAUSED, tasks.get(init).status());
        tasks.resume(namespace, id);
        assertEquals(TaskStatus.RUNNING, tasks.get(init).status());
        assertFalse(tasks.pids(namespace, id).isEmpty());
        assertTrue(tasks.metrics(namespace, id).getTypeUrl().contains("Metrics"));

        tasks.kill(init, 9, false);
        assertEquals(137, tasks.wait(init).exitStatus());
        assertEquals(137, tasks.delete(namespace, id).exitStatus());
    }

    @Test
    void recover_newInstanceOverTheSameState_reattachesToTheLiveShim() throws Exception {
        String id = create(List.of("sleep", "1000"), Stdio.NONE);
        tasks.start(ProcessRef.init(namespace, id));
        tasks.close(); // berthd goes away; the shim and the container stay

        ShimTasks again = newInstance();
        Recovery recovery = again.recover();
        assertEquals(List.of(namespace + "/" + id), recovery.reattached());
        assertEquals(List.of(), recovery.cleanedUp());
        assertEquals(TaskStatus.RUNNING, again.get(ProcessRef.init(namespace, id)).status());

        Path out = Files.createFile(tmp.resolve("exec-out"));
        ProcessRef exec = ProcessRef.exec(namespace, id, "after-restart");
        again.exec(new ExecCreate(exec, TestSpecs.execProcess(List.of("echo", "still-here")),
                output(out)));
        again.start(exec);
        assertEquals(0, again.wait(exec).exitStatus());
        again.deleteProcess(exec);
        assertEquals("still-here\n", Files.readString(out));

        again.kill(ProcessRef.init(namespace, id), 9, false);
        again.wait(ProcessRef.init(namespace, id));
        assertEquals(137, again.delete(namespace, id).exitStatus());
    }

    /**
     * Several bundles: each task is reattached, the lists keep the bundles' name order, and each is listed as its
     * shim reports it right after the recovery (a task whose process ended is STOPPED, not RUNNING).
     */
    @Test
    void recover_severalTasks_reattachesEachInNameOrderWithItsOwnState() throws Exception {
        List<String> running = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String id = create(List.of("sleep", "1000"), Stdio.NONE);
            tasks.start(ProcessRef.init(namespace, id));
            running.add(id);
        }
        String ended = create(List.of("true"), Stdio.NONE);
        tasks.start(ProcessRef.init(namespace, ended));
        assertEquals(0, tasks.wait(ProcessRef.init(namespace, ended)).exitStatus());
        tasks.close();

        ShimTasks again = newInstance();
        Recovery recovery = again.recover();
        List<String> all = new ArrayList<>(running);
        all.add(ended);
        all.sort(null);
        assertEquals(all.stream().map(id -> namespace + "/" + id).toList(), recovery.reattached());
        assertEquals(List.of(), recovery.cleanedUp());
        Map<String, TaskStatus> listed = new java.util.LinkedHashMap<>();
        again.list(namespace).forEach(t -> listed.put(t.containerId(), t.status()));
        assertEquals(all, List.copyOf(listed.keySet()));
        for (String id : running) {
            assertEquals(TaskStatus.RUNNING, listed.get(id), id);
        }
        assertEquals(TaskStatus.STOPPED, listed.get(ended));
        assertEquals(0, again.delete(namespace, ended).exitStatus());
    }

    /**
     * A recovery run while serving (berthd's start): the namespace's calls wait for it and then see every task as
     * its shim reports it; a container that exited while berthd was away is listed STOPPED and its Wait reports
     * the exit, the other runs on.
     */
    @Test
    void startRecovery_containerExitedWhileAway_callsWaitForTheNamespaceAndSeeItsExit() throws Exception {
        String gone = create(List.of("sleep", "1000"), Stdio.NONE);
        tasks.start(ProcessRef.init(namespace, gone));
        String stays = create(List.of("sleep", "1000"), Stdio.NONE);
        tasks.start(ProcessRef.init(namespace, stays));
        long pid = tasks.get(ProcessRef.init(namespace, gone)).pid();
        tasks.close();
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        waitUntil("container process gone", () -> ProcessHandle.of(pid).map(p -> !ShimTeardown.running(pid))
                .orElse(true));

        ShimTasks again = newInstance();
        java.util.concurrent.CompletableFuture<Recovery> recovering = again.startRecovery();
        Map<String, TaskStatus> listed = new java.util.LinkedHashMap<>();
        again.list(namespace).forEach(t -> listed.put(t.containerId(), t.status()));
        assertEquals(Map.of(gone, TaskStatus.STOPPED, stays, TaskStatus.RUNNING), listed);
        assertEquals(137, again.wait(ProcessRef.init(namespace, gone)).exitStatus());
        assertEquals(2, recovering.get(30, java.util.concurrent.TimeUnit.SECONDS).reattached().size());
        assertEquals(137, again.delete(namespace, gone).exitStatus());

        again.kill(ProcessRef.init(namespace, stays), 9, false);
        assertEquals(137, again.wait(ProcessRef.init(namespace, stays)).exitStatus());
        assertEquals(137, again.delete(namespace, stays).exitStatus());
    }

    @Test
    void recover_deadShim_isTakenOverByItsGroupsNextServerOrCleanedUpWithItsDeleteVerb() throws Exception {
        String id = create(List.of("sleep", "1000"), Stdio.NONE);
        tasks.start(ProcessRef.init(namespace, id));
        long shimPid = shimPid(id);
        tasks.close();
        killAndAwait(shimPid);

        ShimTasks again = newInstance();
        Recovery recovery = again.recover();
        if (takesOverAfterShimDeath()) {
            assertEquals(List.of(namespace + "/" + id), recovery.reattached());
            assertEquals(TaskStatus.RUNNING, again.get(ProcessRef.init(namespace, id)).status());
            assertTrue(shimPid(id) != shimPid, "a new server");
            again.kill(ProcessRef.init(namespace, id), 9, false);
            assertEquals(137, again.wait(ProcessRef.init(namespace, id)).exitStatus());
            assertEquals(137, again.delete(namespace, id).exitStatus());
            waitUntil("bundle removed", () -> !Files.exists(Bundle.dir(tmp.resolve("state"), namespace, id)));
            return;
        }
        assertEquals(List.of(), recovery.reattached());
        assertEquals(List.of(namespace + "/" + id), recovery.cleanedUp());
        assertFalse(Files.exists(Bundle.dir(tmp.resolve("state"), namespace, id)));
        assertEquals(ErrorKind.NOT_FOUND, assertThrows(BerthException.class,
                () -> again.get(ProcessRef.init(namespace, id))).kind());
        waitUntil("container processes gone", () -> sandbox.cgroupProcs().isEmpty());
        assertEquals(List.of(), MountInfo.at(tmp));
    }

    /**
     * A shim that dies: berth-shim's group gets a new server that takes the task over (it keeps running, a Wait in
     * flight goes on with the new server); containerd's runc shim takes its task down, which is cleaned up with
     * its exit published.
     */
    @Test
    void shimDyingWhileServing_isTakenOverOrCleanedUp_andItsExitPublishedOnce() throws Exception {
        String id = create(List.of("sleep", "1000"), Stdio.NONE);
        ProcessRef init = ProcessRef.init(namespace, id);
        tasks.start(init);
        try (Subscription ends = exchange.subscribe(List.of("topic~=\"^/tasks/(exit|delete)$\",namespace=="
                + namespace))) {
            java.util.concurrent.CompletableFuture<ProcessExit> waiting =
                    java.util.concurrent.CompletableFuture.supplyAsync(() -> tasks.wait(init));
            long shimPid = shimPid(id);
            killAndAwait(shimPid);
            if (takesOverAfterShimDeath()) {
                assertEquals(TaskStatus.RUNNING, tasks.get(init).status());
                waitUntil("a new shim serves the task", () -> shimPid(id) != shimPid);
                assertFalse(waiting.isDone(), "the Wait returned while the task runs");
                tasks.kill(init, 9, false);
                assertEquals(137, waiting.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).exitStatus());
                Envelope e = ends.poll(WAIT).orElseThrow(() -> new AssertionError("no /tasks/exit after the kill"));
                assertEquals("/tasks/exit", e.topic());
                assertEquals(137, TaskExit.parseFrom(e.event().getValue()).getExitStatus());
                assertEquals(137, tasks.delete(namespace, id).exitStatus());
                assertEquals("/tasks/delete", ends.poll(WAIT).orElseThrow().topic());
            } else {
                Envelope e = ends.poll(WAIT).orElseThrow(() -> new AssertionError("no /tasks/exit after shim death"));
                assertEquals("/tasks/exit", e.topic());
                TaskExit exit = TaskExit.parseFrom(e.event().getValue());
                assertEquals(id, exit.getContainerId());
                assertEquals(137, exit.getExitStatus());
                assertEquals("/tasks/delete", ends.poll(WAIT).orElseThrow().topic());
                assertEquals(137, waiting.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).exitStatus());
            }
        }
        waitUntil("task gone", () -> tasks.list(namespace).isEmpty());
        assertFalse(Files.exists(Bundle.dir(tmp.resolve("state"), namespace, id)));
        waitUntil("container processes gone", () -> sandbox.cgroupProcs().isEmpty());
    }

    /**
     * An overlay rootfs of 127 layers at paths as deep as berthd's snapshots (issue 10, defect 4): its options pass
     * the kernel's page, which cut them and lost the bottom layers, busybox with them.
     */
    @Test
    void create_overlayRootfsOf127Layers_runsTheBottomLayersBusybox_andSeesEveryLayer() throws Exception {
        int layers = 127;
        Path snapshots = Files.createDirectories(
                tmp.resolve("var/lib/berth/io.containerd.snapshotter.v1.overlayfs/snapshots"));
        List<String> lowers = new ArrayList<>();
        for (int i = layers - 1; i > 0; i--) {
            Path fs = Files.createDirectories(snapshots.resolve(i + "/fs"));
            Files.writeString(fs.resolve("layer-" + i), i + "\n");
            lowers.add(fs.toString());
        }
        lowers.add(BusyboxRootfs.create(snapshots.resolve("0/fs")).toString());
        List<dev.berth.manager.snapshot.Mount> rootfs = List.of(new dev.berth.manager.snapshot.Mount("overlay",
                "overlay", List.of("lowerdir=" + String.join(":", lowers))));
        assertTrue(rootfs.getFirst().options().getFirst().length() > 4096, "the options should pass a page");

        Path out = Files.createFile(tmp.resolve("layers-out"));
        String id = "t-" + random();
        ids.add(id);
        tasks.create(new TaskCreate(namespace, id, ShimBinaries.RUNC_V2, options(),
                sandbox.spec(id, List.of("sh", "-c", "cat /layer-1 /layer-126; ls / | grep -c '^layer-'")), rootfs,
                output(out)));
        tasks.start(ProcessRef.init(namespace, id));
        assertEquals(0, tasks.wait(ProcessRef.init(namespace, id)).exitStatus(), Files.readString(out));
        assertEquals("1\n126\n126\n", Files.readString(out));
        tasks.delete(namespace, id);
        assertEquals(List.of(), MountInfo.at(tmp));
    }

    @Test
    void create_failingProcess_leavesNoBundleNoShimNoMount() throws Exception {
        String id = "t-" + random();
        BerthException e = assertThrows(BerthException.class, () -> tasks.create(request(id,
                List.of("/no/such/binary"), Stdio.NONE)));
        assertTrue(e.getMessage().startsWith("create task " + namespace + "/" + id + ": "), e.getMessage());
        assertFalse(Files.exists(Bundle.dir(tmp.resolve("state"), namespace, id)));
        assertEquals(ErrorKind.NOT_FOUND, assertThrows(BerthException.class,
                () -> tasks.get(ProcessRef.init(namespace, id))).kind());
        waitUntil("shim exited", () -> sandbox.ourProcesses().isEmpty());
        assertEquals(List.of(), MountInfo.at(tmp));
    }

    @Test
    void create_twice_isAlreadyExists_andBadNamesAreInvalid() throws Exception {
        String id = create(List.of("true"), Stdio.NONE);
        assertEquals(ErrorKind.ALREADY_EXISTS, assertThrows(BerthException.class,
                () -> tasks.create(request(id, List.of("true"), Stdio.NONE))).kind());
        assertEquals(ErrorKind.INVALID_ARGUMENT, assertThrows(BerthException.class,
                () -> tasks.create(request("../escape", List.of("true"), Stdio.NONE))).kind());
        assertEquals(TaskStatus.CREATED, tasks.get(ProcessRef.init(namespace, id)).status());
        tasks.delete(namespace, id);
    }

    // --- helpers ---

    /**
     * Output to a file, and stderr to another: containerd's shim takes an empty stderr beside a set stdout for a
     * path to open (its clients always send all three), so every stream is given.
     */
    private Stdio output(Path out) throws IOException {
        return new Stdio("", out.toString(), Files.createFile(tmp.resolve(out.getFileName() + ".err")).toString(),
                false);
    }

    private String create(List<String> args, Stdio stdio) throws IOException {
        String id = "t-" + random();
        ids.add(id);
        assertTrue(tasks.create(request(id, args, stdio)) > 0);
        return id;
    }

    private TaskCreate request(String id, List<String> args, Stdio stdio) {
        return new TaskCreate(namespace, id, ShimBinaries.RUNC_V2, options(), sandbox.spec(id, args),
                sandbox.rootfsMounts(), stdio);
    }

    /** The shim's pid, as it reports it over its own socket. */
    private long shimPid(String id) throws IOException {
        String address = Files.readString(Bundle.dir(tmp.resolve("state"), namespace, id).resolve("address"));
        try (ShimClient client = ShimClient.connect(address, namespace, Duration.ofSeconds(10))) {
            return client.connect(id).getShimPid();
        }
    }

    private static void killAndAwait(long pid) throws Exception {
        ProcessHandle shim = ProcessHandle.of(pid).orElseThrow();
        shim.destroyForcibly();
        shim.onExit().get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    }

    static void waitUntil(String what, BooleanSupplierIo condition) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        while (!condition.get()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(50);
        }
    }

    @FunctionalInterface
    interface BooleanSupplierIo {
        boolean get() throws IOException;
    }

    static String random() {
        return TaskSandbox.random();
    }
}
