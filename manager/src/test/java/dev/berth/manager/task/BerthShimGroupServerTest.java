package dev.berth.manager.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.errdefs.BerthException;
import dev.berth.manager.task.shim.ShimClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * berthd and berth-shim's namespace server ({@link GroupServers}): a namespace's next task is created on the server
 * that serves the namespace without running the shim's {@code start}, and {@code start} runs again when that
 * server is gone. The shim binary is bin/berth-shim behind a script that counts the {@code start} verbs.
 */
class BerthShimGroupServerTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final List<String> ids = new ArrayList<>();
    private TaskSandbox sandbox;
    private Path tmp;
    private String namespace;
    private Path starts;
    private ShimBinaries binaries;
    private ShimTasks tasks;

    @BeforeEach
    void setUp() throws Exception {
        sandbox = TaskSandbox.create();
        tmp = sandbox.tmp();
        namespace = sandbox.namespace();
        starts = tmp.resolve("starts");
        Path counting = tmp.resolve("counting-shim");
        Path berthShim = TaskSandbox.berthShim().resolve(ShimBinaries.RUNC_V2);
        Files.writeString(counting, "#!/bin/sh\nfor a; do verb=$a; done\n[ \"$verb\" = start ] && echo start >>"
                + starts + "\nexec " + berthShim + " \"$@\"\n");
        Files.setPosixFilePermissions(counting, PosixFilePermissions.fromString("rwxr-xr-x"));
        binaries = new ShimBinaries(Map.of(ShimBinaries.RUNC_V2, counting), "");
        tasks = sandbox.newTasks(binaries);
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            sandbox.removeTasks(tasks, ids);
        } finally {
            sandbox.close();
        }
    }

    @Test
    void create_secondTaskOfTheNamespace_joinsItsServerWithoutStart() throws Exception {
        String first = create(List.of("sleep", "1000"));
        tasks.start(ProcessRef.init(namespace, first));
        assertEquals(1, startsRun());

        String second = create(List.of("true"));
        assertEquals(1, startsRun(), "the second task ran start");
        assertEquals(shimPid(first), shimPid(second));
        assertEquals(address(first), address(second));
        assertTrue(Files.exists(bundle(first).resolve("log")), "the log FIFO of the task that started the server");
        assertFalse(Files.exists(bundle(second).resolve("log")), "a log FIFO nothing writes to");
        tasks.start(ProcessRef.init(namespace, second));
        assertEquals(0, tasks.wait(ProcessRef.init(namespace, second)).exitStatus());
        assertEquals(0, tasks.delete(namespace, second).exitStatus());
        assertEquals(TaskStatus.RUNNING, tasks.get(ProcessRef.init(namespace, first)).status());
    }

    /** Before: the first task after a restart ran start, which only found the same server again. */
    @Test
    void create_afterBerthdRecoveredTheNamespace_joinsItsServerWithoutStart() throws Exception {
        String first = create(List.of("sleep", "1000"));
        tasks.start(ProcessRef.init(namespace, first));
        tasks.close(); // berthd goes away; the server and its task stay
        tasks = sandbox.newTasks(binaries);
        tasks.startRecovery().get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(1, startsRun());

        String second = create(List.of("true"));
        assertEquals(1, startsRun(), "the first task after the restart ran start");
        assertEquals(shimPid(first), shimPid(second));
        tasks.start(ProcessRef.init(namespace, second));
        assertEquals(0, tasks.wait(ProcessRef.init(namespace, second)).exitStatus());
        assertEquals(0, tasks.delete(namespace, second).exitStatus());
    }

    @Test
    void create_afterTheNamespaceServerDied_runsStartAgainForANewServer() throws Exception {
        String first = create(List.of("true"));
        long dead = shimPid(first);
        tasks.start(ProcessRef.init(namespace, first));
        tasks.wait(ProcessRef.init(namespace, first));
        tasks.delete(namespace, first);
        ProcessHandle server = ProcessHandle.of(dead).orElseThrow();
        server.destroyForcibly(); // its socket file stays: nothing accepts there
        server.onExit().get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);

        String second = create(List.of("true"));
        assertEquals(2, startsRun());
        assertTrue(Files.exists(bundle(second).resolve("log")), "the new server's log");
        assertNotEquals(dead, shimPid(second));
        tasks.start(ProcessRef.init(namespace, second));
        assertEquals(0, tasks.wait(ProcessRef.init(namespace, second)).exitStatus());
        tasks.delete(namespace, second);

        String third = create(List.of("true"));
        assertEquals(2, startsRun(), "the new server was not joined");
        tasks.delete(namespace, third);
    }

    /** Before: berthd waited its whole shutdown timeout (15 s here) for the shared server to exit, then killed it. */
    @Test
    void create_failingOnTheNamespaceServer_leavesTheServerServingItsOtherTasks() throws Exception {
        String running = create(List.of("sleep", "1000"));
        tasks.start(ProcessRef.init(namespace, running));
        long server = shimPid(running);

        String id = "t-" + TaskSandbox.random();
        long began = System.nanoTime();
        assertThrows(BerthException.class, () -> tasks.create(request(id, List.of("/no/such/binary"))));
        Duration took = Duration.ofNanos(System.nanoTime() - began);
        assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "the failed create took " + took);
        assertEquals(server, shimPid(running));
        assertEquals(TaskStatus.RUNNING, tasks.get(ProcessRef.init(namespace, running)).status());
    }

    private String create(List<String> args) throws IOException {
        String id = "t-" + TaskSandbox.random();
        ids.add(id);
        assertTrue(tasks.create(request(id, args)) > 0);
        return id;
    }

    private TaskCreate request(String id, List<String> args) {
        return new TaskCreate(namespace, id, ShimBinaries.RUNC_V2, Optional.empty(), sandbox.spec(id, args),
                sandbox.rootfsMounts(), Stdio.NONE);
    }

    private long startsRun() throws IOException {
        return Files.exists(starts) ? Files.readAllLines(starts).size() : 0;
    }

    private Path bundle(String id) {
        return Bundle.dir(tmp.resolve("state"), namespace, id);
    }

    private String address(String id) throws IOException {
        return Files.readString(bundle(id).resolve("address"));
    }

    private long shimPid(String id) throws IOException {
        try (ShimClient client = ShimClient.connect(address(id), namespace, Duration.ofSeconds(10))) {
            return client.connect(id).getShimPid();
        }
    }
}
