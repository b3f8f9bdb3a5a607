package dev.berth.it.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import dev.berth.api.events.TaskExit;
import dev.berth.api.runtime.task.v2.CreateTaskRequest;
import dev.berth.api.runtime.task.v2.CreateTaskResponse;
import dev.berth.api.runtime.task.v2.DeleteRequest;
import dev.berth.api.runtime.task.v2.DeleteResponse;
import dev.berth.api.runtime.task.v2.ExecProcessRequest;
import dev.berth.api.runtime.task.v2.KillRequest;
import dev.berth.api.runtime.task.v2.PidsRequest;
import dev.berth.api.runtime.task.v2.PidsResponse;
import dev.berth.api.runtime.task.v2.StartRequest;
import dev.berth.api.runtime.task.v2.StartResponse;
import dev.berth.api.runtime.task.v2.StateRequest;
import dev.berth.api.runtime.task.v2.StateResponse;
import dev.berth.api.runtime.task.v2.WaitRequest;
import dev.berth.api.runtime.task.v2.WaitResponse;
import dev.berth.api.services.ttrpc.events.v1.Envelope;
import dev.berth.api.types.task.Status;
import dev.berth.it.support.Bundle;
import dev.berth.it.support.CgroupFs;
import dev.berth.it.support.HostMounts;
import dev.berth.it.support.Wait;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shim server: one per namespace, found by {@code start} without a JVM; its containers' processes are the
 * children of one {@code berth-monitor} each; a SIGKILLed server loses no container, exit status or output (the
 * next {@code start} brings up a server that takes them over), and a SIGKILLed monitor takes down only its own
 * container, reported as an exit with status 137.
 */
class ShimServerTest {
    /** The bar: twenty containers under one server. */
    private static final int CONTAINERS = 20;
    private static final String PROCESS_SPEC = "types.containerd.io/opencontainers/runtime-spec/1/Process";

    private ShimFixture fixture;

    @BeforeEach
    void createFixture() throws IOException {
        fixture = ShimFixture.create("bsv-");
    }

    @AfterEach
    void closeFixture() throws IOException {
        fixture.close();
    }

    /** One task of a test: its id, bundle and stdout file. */
    private record Task(String id, Bundle bundle, Path stdout) {}

    private Task task(String id, String script) throws IOException {
        Bundle bundle = Bundle.create(fixture.tmp.resolve(id), "/" + fixture.namespace + "/" + id).sh(script)
                .writeConfig();
        return new Task(id, bundle, Files.createFile(fixture.tmp.resolve(id + ".out")));
    }

    @Test
    void start_tasksOfOneNamespace_shareOneServerFoundWithoutAJvm() throws Exception {
        Task a = task("a", "exit 0");
        Task b = task("b", "exit 0");
        String address = fixture.start(a.bundle().dir(), a.id());
        ShimFixture.Shim shim = fixture.connect(address, a.id());

        // no JDK for the second start: it finds the namespace's server itself (berth-shim-start.c's fast path)
        fixture.env("BERTH_JAVA_HOME", "/nonexistent-jdk");
        assertEquals(address, fixture.start(b.bundle().dir(), b.id()));

        run(shim, a);
        run(shim, b);
        assertEquals(0, waitFor(shim, a.id(), "").getExitStatus());
        assertEquals(0, waitFor(shim, b.id(), "").getExitStatus());
        delete(shim, a.id());
        delete(shim, b.id());
    }

    @Test
    void start_containerMode_givesEachTaskAServerOfItsOwn() throws Exception {
        fixture.env("BERTH_SHIM_GROUP", "container");
        Task a = task("a", "exit 0");
        Task b = task("b", "exit 0");
        ShimFixture.Shim first = fixture.startAndConnect(a.bundle().dir(), a.id());
        ShimFixture.Shim second = fixture.startAndConnect(b.bundle().dir(), b.id());
        assertNotEquals(first.pid(), second.pid());
    }

    @Test
    void start_addressHandedOutToAnIdleServer_isStillServedAfterItsIdlePeriod() throws Exception {
        Task a = task("a", "exit 3");
        String address = fixture.start(a.bundle().dir(), a.id());
        ShimFixture.Shim probe = fixture.connect(address, a.id());
        probe.client().close();
        // idle for 1 s (the fixture's period) without a task, but each start hands the address out again
        for (int i = 0; i < 3; i++) {
            Wait.sleep(Duration.ofMillis(700));
            assertEquals(address, fixture.start(a.bundle().dir(), a.id()));
        }
        Wait.sleep(Duration.ofMillis(700));
        ShimFixture.Shim shim = fixture.connect(address, a.id());
        assertEquals(probe.pid(), shim.pid(), "the same server");
        run(shim, a);
        assertEquals(3, waitFor(shim, a.id(), "").getExitStatus());
        delete(shim, a.id());
    }

    @Test
    void sigkillServer_withRunningContainers_nextStartTakesOverEveryOneAndNothingIsLost() throws Exception {
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < CONTAINERS; i++) {
            // even ones exit while no server runs, odd ones run on
            String script = i % 2 == 0 ? "echo start; sleep 3; echo done; exit " + (i + 1)
                    : "echo start; sleep 600";
            tasks.add(task("c" + i, script));
        }
        String address = fixture.start(tasks.get(0).bundle().dir(), tasks.get(0).id());
        ShimFixture.Shim shim = fixture.connect(address, tasks.get(0).id());
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<?>> started = new ArrayList<>();
            for (Task t : tasks) {
                started.add(pool.submit(() -> {
                    assertEquals(address, fixture.start(t.bundle().dir(), t.id()));
                    run(shim, t);
                    return null;
                }));
            }
            for (Future<?> f : started) {
                f.get();
            }
        }
        List<Integer> pids = new ArrayList<>();
        for (Task t : tasks) {
            int pid = state(shim, t.id(), "").getPid();
            pids.add(pid);
            assertEquals("berth-monitor", comm(parent(pid)), "the parent of " + t.id() + "'s init");
        }
        for (Task t : tasks) {
            Wait.until(t.id() + " wrote", Duration.ofSeconds(10), () -> read(t.stdout()).startsWith("start\n"));
        }

        kill9(shim.pid());
        Wait.until("server gone", Duration.ofSeconds(10), () -> !ShimFixture.running(shim.pid()));
        for (int i = 0; i < CONTAINERS; i += 2) {
            Task t = tasks.get(i);
            Wait.until(t.id() + " done while no server runs", Duration.ofSeconds(15),
                    () -> read(t.stdout()).endsWith("done\n"));
        }
        int exitsBefore = exits().size();

        // what containerd runs for its next task; it brings up a new server, which takes over the others
        Task next = task("next", "exit 0");
        String again = fixture.start(next.bundle().dir(), next.id());
        assertEquals(address, again);
        ShimFixture.Shim server = fixture.connect(again, next.id());
        assertNotEquals(shim.pid(), server.pid());

        for (int i = 0; i < CONTAINERS; i++) {
            Task t = tasks.get(i);
            StateResponse st = state(server, t.id(), "");
            assertEquals(pids.get(i), st.getPid(), t.id());
            if (i % 2 == 0) {
                assertEquals(Status.STOPPED, st.getStatus(), t.id());
                assertEquals(i + 1, st.getExitStatus(), t.id());
                assertEquals(i + 1, waitFor(server, t.id(), "").getExitStatus(), t.id());
                assertEquals("start\ndone\n", read(t.stdout()), t.id());
            } else {
                assertEquals(Status.RUNNING, st.getStatus(), t.id());
                int init = pids.get(i);
                assertTrue(server.call("Pids", PidsRequest.newBuilder().setId(t.id()).build(),
                        PidsResponse.parser()).getProcessesList().stream().anyMatch(p -> p.getPid() == init), t.id());
                Path execOut = exec(server, t, "e1", "echo exec-ok");
                assertEquals(0, waitFor(server, t.id(), "e1").getExitStatus(), t.id());
                assertEquals("exec-ok\n", read(execOut), t.id());
                server.call("Kill", KillRequest.newBuilder().setId(t.id()).setSignal(9).build(), Empty.parser());
                assertEquals(137, waitFor(server, t.id(), "").getExitStatus(), t.id());
                assertEquals("start\n", read(t.stdout()), t.id());
            }
        }
        // the exits that happened while no server ran are published by the new one
        Wait.until("exits of the stopped containers published", Duration.ofSeconds(10),
                () -> exits().size() >= exitsBefore + CONTAINERS);
        for (Task t : tasks) {
            DeleteResponse d = server.call("Delete", DeleteRequest.newBuilder().setId(t.id()).build(),
                    DeleteResponse.parser());
            assertTrue(d.getExitStatus() != 0, t.id());
        }
        assertNothingLeft(tasks, pids);
    }

    @Test
    void sigkillServer_withAnExecRunning_nextServerReportsItsExit() throws Exception {
        Task a = task("a", "echo a; sleep 600");
        ShimFixture.Shim shim = fixture.startAndConnect(a.bundle().dir(), a.id());
        run(shim, a);
        Path out = exec(shim, a, "slow", "echo started; sleep 2; echo done; exit 7");
        Wait.until("the exec runs", Duration.ofSeconds(10), () -> read(out).equals("started\n"));
        int execPid = state(shim, a.id(), "slow").getPid();
        assertEquals("berth-monitor", comm(parent(execPid)), "the parent of the exec");

        kill9(shim.pid());
        Wait.until("server gone", Duration.ofSeconds(10), () -> !ShimFixture.running(shim.pid()));
        Task next = task("next", "exit 0");
        ShimFixture.Shim server = fixture.connect(fixture.start(next.bundle().dir(), next.id()), next.id());
        assertNotEquals(shim.pid(), server.pid());

        assertEquals(execPid, state(server, a.id(), "slow").getPid());
        assertEquals(7, waitFor(server, a.id(), "slow").getExitStatus());
        assertEquals(Status.STOPPED, state(server, a.id(), "slow").getStatus());
        assertEquals("started\ndone\n", read(out));
        Wait.until("/tasks/exit of the exec", Duration.ofSeconds(10), () -> exits().stream()
                .anyMatch(e -> e.getId().equals("slow") && e.getExitStatus() == 7));
        server.call("Delete", DeleteRequest.newBuilder().setId(a.id()).setExecId("slow").build(),
                DeleteResponse.parser());
        server.call("Kill", KillRequest.newBuilder().setId(a.id()).setSignal(9).build(), Empty.parser());
        assertEquals(137, waitFor(server, a.id(), "").getExitStatus());
        delete(server, a.id());
    }

    @Test
    void sigkillMonitor_takesDownOnlyItsContainer_reportedAsExit137() throws Exception {
        Task a = task("a", "echo a; sleep 600");
        Task b = task("b", "echo b; sleep 600");
        ShimFixture.Shim shim = fixture.startAndConnect(a.bundle().dir(), a.id());
        run(shim, a);
        run(shim, b);
        int pidA = state(shim, a.id(), "").getPid();
        int pidB = state(shim, b.id(), "").getPid();

        kill9(parent(pidA));
        assertEquals(137, waitFor(shim, a.id(), "").getExitStatus());
        assertEquals(Status.STOPPED, state(shim, a.id(), "").getStatus());
        Wait.until("/tasks/exit of a", Duration.ofSeconds(10), () -> exits().stream()
                .anyMatch(e -> e.getContainerId().equals(a.id()) && e.getExitStatus() == 137));
        Wait.until("a's processes gone", Duration.ofSeconds(10), () -> !ShimFixture.running(pidA));

        assertEquals(Status.RUNNING, state(shim, b.id(), "").getStatus());
        assertEquals("berth-monitor", comm(parent(pidB)));
        Path execOut = exec(shim, b, "e1", "echo exec-ok");
        assertEquals(0, waitFor(shim, b.id(), "e1").getExitStatus());
        assertEquals("exec-ok\n", read(execOut));
        shim.call("Kill", KillRequest.newBuilder().setId(b.id()).setSignal(9).build(), Empty.parser());
        assertEquals(137, waitFor(shim, b.id(), "").getExitStatus());
        delete(shim, a.id());
        delete(shim, b.id());
        assertNothingLeft(List.of(a, b), List.of(pidA, pidB));
    }

    private void assertNothingLeft(List<Task> tasks, List<Integer> pids) throws IOException {
        for (int pid : pids) {
            Wait.until("process " + pid + " gone", Duration.ofSeconds(10), () -> !ShimFixture.running(pid));
        }
        for (Task t : tasks) {
            assertEquals(List.of(), CgroupFs.existingDirs(t.bundle().cgroupsPath()), "cgroup of " + t.id());
            assertEquals(List.of(), HostMounts.under(t.bundle().dir()), "mounts of " + t.id());
        }
        fixture.awaitServersGone(Duration.ofSeconds(15));
        try (Stream<Path> s = Files.walk(fixture.tmp.resolve("s"))) {
            List<String> sockets = s.filter(p -> !Files.isDirectory(p))
                    .map(p -> fixture.tmp.relativize(p).toString()).filter(p -> !p.endsWith("claim.lock")).toList();
            assertEquals(List.of(), sockets, "sockets left");
        }
        assertFalse(monitorsRunning(), "a berth-monitor of this test still runs");
    }

    private boolean monitorsRunning() throws IOException {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .anyMatch(p -> {
                        try {
                            return Files.readString(p.resolve("cmdline")).contains(fixture.tmp.toString())
                                    && Files.readString(p.resolve("comm")).strip().equals("berth-monitor");
                        } catch (IOException e) {
                            return false;
                        }
                    });
        }
    }

    private List<TaskExit> exits() {
        List<TaskExit> exits = new ArrayList<>();
        for (Envelope e : fixture.delivered()) {
            if (e.getTopic().equals("/tasks/exit")) {
                try {
                    exits.add(TaskExit.parseFrom(e.getEvent().getValue()));
                } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
                    throw new IllegalStateException(ex);
                }
            }
        }
        return exits;
    }

    private static void run(ShimFixture.Shim shim, Task t) {
        shim.call("Create", CreateTaskRequest.newBuilder().setId(t.id()).setBundle(t.bundle().dir().toString())
                .setStdout(t.stdout().toString()).build(), CreateTaskResponse.parser());
        shim.call("Start", StartRequest.newBuilder().setId(t.id()).build(), StartResponse.parser());
    }

    /** Execs {@code sh -c script} in the task with its stdout to a file of its own, which it returns. */
    private static Path exec(ShimFixture.Shim shim, Task t, String execId, String script) throws IOException {
        Path out = Files.createFile(t.stdout().resolveSibling(t.id() + "." + execId + ".out"));
        String process = "{\"terminal\":false,\"args\":[\"sh\",\"-c\",\"" + script + "\"],\"cwd\":\"/\","
                + "\"env\":[\"PATH=/bin\"],\"user\":{\"uid\":0,\"gid\":0}}";
        shim.call("Exec", ExecProcessRequest.newBuilder().setId(t.id()).setExecId(execId)
                .setStdout(out.toString()).setSpec(Any.newBuilder().setTypeUrl(PROCESS_SPEC)
                        .setValue(ByteString.copyFromUtf8(process))).build(), Empty.parser());
        shim.call("Start", StartRequest.newBuilder().setId(t.id()).setExecId(execId).build(), StartResponse.parser());
        return out;
    }

    private static StateResponse state(ShimFixture.Shim shim, String id, String execId) {
        return shim.call("State", StateRequest.newBuilder().setId(id).setExecId(execId).build(),
                StateResponse.parser());
    }

    private static WaitResponse waitFor(ShimFixture.Shim shim, String id, String execId) {
        return shim.call("Wait", WaitRequest.newBuilder().setId(id).setExecId(execId).build(), WaitResponse.parser());
    }

    private static void delete(ShimFixture.Shim shim, String id) {
        shim.call("Delete", DeleteRequest.newBuilder().setId(id).build(), DeleteResponse.parser());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    private static long parent(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
    }

    private static String comm(long pid) throws IOException {
        return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip();
    }

    private static void kill9(long pid) {
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        assertTrue(p.isPresent(), "process " + pid);
        p.get().destroyForcibly();
    }
}
