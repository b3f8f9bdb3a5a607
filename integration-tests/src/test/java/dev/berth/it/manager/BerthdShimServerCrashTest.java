package dev.berth.it.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.services.tasks.v1.TasksGrpc;
import dev.berth.api.services.tasks.v1.WaitRequest;
import dev.berth.api.services.tasks.v1.WaitResponse;
import dev.berth.it.manager.support.BerthdProcess;
import dev.berth.it.manager.support.Ctr;
import dev.berth.it.manager.support.ShimProcesses;
import dev.berth.it.manager.support.TestImages;
import dev.berth.it.support.Background;
import dev.berth.it.support.CgroupFs;
import dev.berth.it.support.CliResult;
import dev.berth.it.support.CommandLine;
import dev.berth.it.support.Wait;
import dev.berth.testsupport.LocalRegistry;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * berthd and a shim server that dies (issue 12, "fault isolation"): berthd asks the group for its server again
 * ({@code start}), the new server takes the containers over from their monitors, and berthd keeps every task: they
 * stay RUNNING, exec, kill and Wait work (a Wait in flight across the switch too), an exec running across the crash
 * reports its own exit code, and the logs lose no line. A monitor killed afterwards takes down only its own task,
 * reported once as an exit. Nothing is left after removal: no mount, cgroup, socket or process.
 */
class BerthdShimServerCrashTest {
    private static final Path REPO = Path.of(System.getProperty("berth.it.repo", "..")).toAbsolutePath().normalize();
    private static final int CONTAINERS = 12;
    /** Prints a counter every 100 ms; TERM makes it say so and exit 3. */
    private static final String COUNTER = "trap 'echo term; exit 3' TERM; i=0; while true; do echo $i; "
            + "i=$((i+1)); sleep 0.1; done";

    private Path dir;
    private LocalRegistry registry;
    private TestImages images;
    private BerthdProcess berthd;
    private Ctr ctr;
    private Path fifo;
    private Path logs;
    private String namespace;
    private EventLoopGroup group;
    private ManagedChannel channel;
    /** A thread per Wait in flight (the common pool would run them one at a time on this machine). */
    private final ExecutorService waiters = Executors.newVirtualThreadPerTaskExecutor();

    @BeforeEach
    void start() throws IOException {
        dir = Files.createTempDirectory(Path.of("/tmp"), "bss-");
        images = TestImages.build(Files.createDirectories(dir.resolve("images")).resolve("layout"));
        registry = LocalRegistry.anonymous();
        images.pushTo(registry);
        berthd = BerthdProcess.start(REPO, dir, new CommandLine(Files.createDirectories(dir.resolve("daemon"))),
                BerthdProcess.Options.defaults());
        namespace = "shimcrash-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100000;
        fifo = Files.createDirectories(dir.resolve("work/fifo"));
        logs = Files.createDirectories(dir.resolve("work/logs"));
        ctr = new Ctr(berthd.socket().toString(), namespace,
                new CommandLine(Files.createDirectories(dir.resolve("work/calls"))));
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(berthd.socket().toString()))
                .channelType(EpollDomainSocketChannel.class).eventLoopGroup(group).usePlaintext().build();
    }

    @AfterEach
    void stop() throws IOException, InterruptedException {
        try {
            waiters.shutdownNow();
            if (channel != null) {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            }
            if (berthd != null) {
                ctr.removeEverything();
                berthd.close();
            }
        } finally {
            if (registry != null) {
                registry.close();
            }
            BerthdProcess.reapLeftovers(dir);
            for (int i = 0; i < CONTAINERS; i++) {
                CgroupFs.removeLeftovers(cgroupsPath("c" + i));
            }
            CtrAcceptanceContract.deleteTree(dir);
        }
    }

    @Test
    void sigkillShimServer_tasksStayUsable_thenSigkillMonitor_onlyItsTaskExits() throws Exception {
        String ref = images.busybox().reference(registry);
        ctr.run("images", "pull", "--plain-http", ref).assertSuccess();
        try (Background events = ctr.start("events")) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < CONTAINERS; i++) {
                String id = "c" + i;
                ids.add(id);
                ctr.run("run", "-d", "--log-uri", "file://" + log(id), ref, id, "sh", "-c", COUNTER)
                        .assertSuccess();
            }
            Map<String, String> before = ctr.runningTasks();
            assertEquals(new TreeSet<>(ids), new TreeSet<>(before.keySet()), before.toString());
            long server = serverPid();
            // a Wait of every init in flight across the switch, and an exec that ends while no server runs
            List<CompletableFuture<WaitResponse>> waits = new ArrayList<>();
            for (String id : ids) {
                waits.add(CompletableFuture.supplyAsync(() -> tasks().wait(WaitRequest.newBuilder()
                        .setContainerId(id).build()), waiters));
            }
            Background slowExec = ctr.start("tasks", "exec", "--fifo-dir", fifo.toString(), "--exec-id", "slow",
                    "c0", "sh", "-c", "sleep 2; exit 7");
            Wait.until("the exec runs", Duration.ofSeconds(20), () -> !slowExec.isAlive()
                    || ctr.run("tasks", "ps", "c0").stdout().contains("slow"));
            Wait.until("every container logged", Duration.ofSeconds(10),
                    () -> ids.stream().allMatch(id -> counted(id) >= 3));

            ProcessHandle.of(server).orElseThrow().destroyForcibly();
            Wait.until("server gone", Duration.ofSeconds(10), () -> !running(server));

            assertEquals(7, slowExec.await(Duration.ofSeconds(60)).exitCode(), "the exec across the crash");
            Wait.until("a new server serves", Duration.ofSeconds(30), () -> serverPidOr(0) != 0);
            assertNotEquals(server, serverPid());
            assertEquals(before, ctr.runningTasks(), "after the server's crash:\n" + berthd.log());
            for (String id : ids) {
                CliResult exec = ctr.run("tasks", "exec", "--fifo-dir", fifo.toString(), "--exec-id", "after", id,
                        "sh", "-c", "echo still here; exit 5");
                assertEquals(5, exec.exitCode(), id + ": " + exec);
                assertEquals("still here", exec.stdout().strip(), id);
            }
            assertTrue(waits.stream().noneMatch(CompletableFuture::isDone), "a Wait returned while all ran");

            // one monitor dies: its task alone ends, with one exit
            String victim = "c5";
            long monitor = parent(Long.parseLong(before.get(victim)));
            assertEquals("berth-monitor", comm(monitor));
            ProcessHandle.of(monitor).orElseThrow().destroyForcibly();
            assertEquals(137, waits.get(ids.indexOf(victim)).get(60, TimeUnit.SECONDS).getExitStatus());
            Wait.until("the victim stopped", Duration.ofSeconds(20),
                    () -> !ctr.runningTasks().containsKey(victim));
            Map<String, String> survivors = new LinkedHashMap<>(before);
            survivors.remove(victim);
            assertEquals(survivors, ctr.runningTasks());

            for (String id : survivors.keySet()) {
                ctr.run("tasks", "kill", "-s", "TERM", id).assertSuccess();
            }
            for (String id : survivors.keySet()) {
                assertEquals(3, waits.get(ids.indexOf(id)).get(60, TimeUnit.SECONDS).getExitStatus(), id);
                assertLogComplete(id);
            }
            Wait.until("every exit seen", Duration.ofSeconds(20), () -> exits(events).size() >= CONTAINERS);
            Map<String, Long> perTask = new LinkedHashMap<>();
            exits(events).forEach(e -> perTask.merge(e, 1L, Long::sum));
            for (String id : ids) {
                assertEquals(1L, perTask.get(id), "/tasks/exit of " + id + " once: " + events.stdout());
            }
            for (String id : ids) {
                ctr.run("tasks", "rm", id).assertSuccess();
                ctr.run("containers", "rm", id).assertSuccess();
            }
            assertNothingLeft(ids);
        }
    }

    private void assertNothingLeft(List<String> ids) throws IOException {
        Path bundles = dir.resolve("state/io.containerd.runtime.v2.task").resolve(namespace);
        Wait.until("bundles removed", Duration.ofSeconds(15), () -> list(bundles).isEmpty());
        for (String id : ids) {
            assertEquals(List.of(), CgroupFs.existingDirs(cgroupsPath(id)), "cgroup of " + id);
        }
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/mountinfo"))) {
            assertEquals(List.of(), lines.map(l -> l.split(" ")[4]).filter(m -> m.startsWith(dir.toString()))
                    .toList(), "mounts left");
        }
        // the shim server leaves 1 s after its last task (BerthdProcess), with its sockets and monitors
        Wait.until("no process of the test's shims left", Duration.ofSeconds(20),
                () -> ourProcesses().isEmpty());
        try (Stream<Path> s = Files.walk(dir.resolve("s"))) {
            assertEquals(List.of(), s.filter(p -> !Files.isDirectory(p))
                    .filter(p -> !p.getFileName().toString().equals("claim.lock")).toList(), "sockets left");
        }
    }

    /** Pids of the processes (shim server, monitors, containers) whose command line names a path of this test. */
    private List<Long> ourProcesses() {
        String marker = dir + "/";
        return ProcessHandle.allProcesses().filter(p -> p.pid() != berthd.pid())
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(marker)).orElse(false))
                .filter(p -> !p.info().command().orElse("").endsWith("/ctr"))
                .map(ProcessHandle::pid).toList();
    }

    private void assertLogComplete(String id) throws IOException {
        List<String> lines = Files.readAllLines(log(id));
        assertEquals("term", lines.getLast(), id + ": " + lines);
        for (int i = 0; i < lines.size() - 1; i++) {
            assertEquals(Integer.toString(i), lines.get(i), id + ": line " + i + " of " + lines);
        }
    }

    private long counted(String id) {
        try {
            return Files.readAllLines(log(id)).size();
        } catch (IOException e) {
            return 0;
        }
    }

    private Path log(String id) {
        return logs.resolve(id + ".log");
    }

    /** The container ids of the {@code /tasks/exit} events {@code ctr events} printed (inits only). */
    private static List<String> exits(Background events) {
        List<String> ids = new ArrayList<>();
        for (String line : events.stdout().lines().toList()) {
            if (!line.contains("/tasks/exit")) {
                continue;
            }
            String container = field(line, "container_id");
            if (container.equals(field(line, "id"))) {
                ids.add(container);
            }
        }
        return ids;
    }

    private static String field(String json, String name) {
        String key = "\"" + name + "\":\"";
        int at = json.indexOf(key);
        return at < 0 ? "" : json.substring(at + key.length(), json.indexOf('"', at + key.length()));
    }

    private TasksGrpc.TasksBlockingStub tasks() {
        Metadata md = new Metadata();
        md.put(Metadata.Key.of("containerd-namespace", Metadata.ASCII_STRING_MARSHALLER), namespace);
        return TasksGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
    }

    private long serverPid() {
        long pid = serverPidOr(0);
        assertTrue(pid != 0, "no shim server runs");
        return pid;
    }

    /** The namespace's shim server: the serving JVM whose command line names this test's berthd. */
    private long serverPidOr(long none) {
        for (int i = 0; i < CONTAINERS; i++) {
            List<Long> pids = ShimProcesses.of(dir, "c" + i, "serve");
            if (!pids.isEmpty()) {
                return pids.getFirst();
            }
        }
        return none;
    }

    private String cgroupsPath(String id) {
        return "/" + namespace + "/" + id;
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> left = Files.exists(dir) ? Files.list(dir) : Stream.empty()) {
            return left.toList();
        } catch (IOException e) {
            return List.of(dir);
        }
    }

    private static long parent(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
    }

    /** Whether {@code pid} runs: a zombie does not (the server's parent, init, reaps it when it gets to it). */
    private static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    private static String comm(long pid) throws IOException {
        return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip();
    }
}
