package dev.berth.it.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Empty;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import dev.berth.api.runtime.task.v2.ConnectRequest;
import dev.berth.api.runtime.task.v2.ConnectResponse;
import dev.berth.api.services.ttrpc.events.v1.Envelope;
import dev.berth.api.services.ttrpc.events.v1.ForwardRequest;
import dev.berth.api.ttrpc.Metadata;
import dev.berth.api.ttrpc.TtrpcClient;
import dev.berth.api.ttrpc.TtrpcServer;
import dev.berth.api.ttrpc.TtrpcService;
import dev.berth.it.support.CgroupFs;
import dev.berth.it.support.Wait;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * berth-shim as containerd runs it, for the tests that drive it over ttrpc: a temp dir holding containerd's socket
 * directory ({@code containerd.sock}'s, so the shim servers' sockets are private to the test), a namespace of its
 * own, a fake events service on {@code TTRPC_ADDRESS} that records every envelope, the {@code start} verb in a
 * bundle, and a teardown that waits for every shim server it saw to exit (the idle period is
 * {@value #IDLE_SECONDS} s here) and then kills what is left, removes the namespace's cgroups and the temp dir.
 */
final class ShimFixture implements AutoCloseable {
    static final String TASK = "containerd.task.v2.Task";
    static final Duration CALL = Duration.ofSeconds(30);
    static final String IDLE_SECONDS = "1";

    final Path tmp;
    final String namespace;
    private final Path eventsSocket;
    private final Map<String, String> environment = new HashMap<>();
    private final List<Envelope> delivered = new CopyOnWriteArrayList<>();
    private final List<Long> arrivals = new CopyOnWriteArrayList<>();
    private final List<TtrpcClient> clients = new CopyOnWriteArrayList<>();
    private final Set<Long> serverPids = new LinkedHashSet<>();
    private final List<Path> logs = new CopyOnWriteArrayList<>();
    private TtrpcServer events;

    private ShimFixture(Path tmp, String namespace) {
        this.tmp = tmp;
        this.namespace = namespace;
        this.eventsSocket = tmp.resolve("ev.sock");
        environment.put("TTRPC_ADDRESS", eventsSocket.toString());
        environment.put("BERTH_SHIM_IDLE_SECONDS", IDLE_SECONDS);
    }

    /** A temp dir under /tmp named {@code prefix…}, a fresh namespace and a running events service. */
    static ShimFixture create(String prefix) throws IOException {
        ShimFixture f = new ShimFixture(Files.createTempDirectory(Path.of("/tmp"), prefix),
                "berth-it-" + ContainerdFixture.random());
        f.startEvents();
        return f;
    }

    /** Sets a variable of the environment the shim's {@code start} runs with (containerd's). */
    ShimFixture env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    void startEvents() throws IOException {
        events = new TtrpcServer(List.of(TtrpcService.builder("containerd.services.events.ttrpc.v1.Events")
                .unary("Forward", ForwardRequest.parser(), (c, r) -> {
                    arrivals.add(System.nanoTime());
                    delivered.add(r.getEnvelope());
                    return Empty.getDefaultInstance();
                }).build()));
        events.listen(eventsSocket);
    }

    /** Stops the events service, as when containerd goes away. */
    void stopEvents() {
        if (events != null) {
            events.close();
            events = null;
        }
    }

    /** Every envelope delivered so far, in order. */
    List<Envelope> delivered() {
        return delivered;
    }

    /** When each envelope of {@link #delivered} arrived ({@code System.nanoTime}), in the same order. */
    List<Long> arrivals() {
        return arrivals;
    }

    List<String> topics() {
        return delivered.stream().map(Envelope::getTopic).toList();
    }

    /** The output and exit status of one {@code start} verb. */
    record StartResult(int exitStatus, String output) {}

    /** Runs {@code berth-shim … -id ID start} in the bundle, as containerd does, and returns what it said. */
    StartResult runStart(Path bundle, String id) throws IOException, InterruptedException {
        Path log = bundle.resolve("log"); // a file rather than containerd's FIFO: the server's log, for failures
        if (!Files.exists(log)) {
            Files.createFile(log);
            logs.add(log);
        }
        ProcessBuilder pb = new ProcessBuilder(repo().resolve("bin/berth-shim").toString(), "-namespace", namespace,
                "-address", tmp.resolve("containerd.sock").toString(), "-publish-binary", "/bin/true", "-id", id,
                "start").directory(bundle.toFile()).redirectErrorStream(true);
        pb.environment().putAll(environment);
        Process start = pb.start();
        start.getOutputStream().close();
        String out = new String(start.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(start.waitFor(30, TimeUnit.SECONDS), "start " + id + " did not return");
        return new StartResult(start.exitValue(), out);
    }

    /** {@code start} that must succeed; the address it printed, also written to the bundle. */
    String start(Path bundle, String id) throws IOException, InterruptedException {
        StartResult r = runStart(bundle, id);
        assertEquals(0, r.exitStatus(), r.output());
        assertTrue(r.output().startsWith("unix://"), r.output());
        assertEquals(r.output(), Files.readString(bundle.resolve("address")));
        return r.output();
    }

    /** A client connected to the shim at {@code address}, closed by {@link #close}; Connect records the pid. */
    Shim connect(String address, String id) throws IOException {
        TtrpcClient client = TtrpcClient.connect(Path.of(address.substring("unix://".length())));
        clients.add(client);
        Shim shim = new Shim(client, namespace);
        long pid = shim.call("Connect", ConnectRequest.newBuilder().setId(id).build(), ConnectResponse.parser())
                .getShimPid();
        synchronized (serverPids) {
            serverPids.add(pid);
        }
        return new Shim(client, namespace, pid);
    }

    /** {@code start} in the bundle, then a connection to the address it printed. */
    Shim startAndConnect(Path bundle, String id) throws IOException, InterruptedException {
        return connect(start(bundle, id), id);
    }

    /** One connection to a shim server, and the server's pid. */
    record Shim(TtrpcClient client, String namespace, long pid) {
        Shim(TtrpcClient client, String namespace) {
            this(client, namespace, 0);
        }

        <T extends MessageLite> T call(String method, MessageLite request, Parser<T> parser) {
            return client.call(TASK, method, request, parser, Metadata.namespace(namespace), CALL);
        }
    }

    static Path repo() {
        return Path.of(System.getProperty("berth.it.repo", "..")).toAbsolutePath().normalize();
    }

    /** Whether a process runs: a zombie does not (nobody here reaps a shim server, it is not our child). */
    static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException | IndexOutOfBoundsException e) {
            return false;
        }
    }

    /** Waits for every shim server this fixture connected to to exit on its own (they must: no task is left). */
    void awaitServersGone(Duration timeout) {
        List<Long> pids;
        synchronized (serverPids) {
            pids = new ArrayList<>(serverPids);
        }
        for (long pid : pids) {
            Wait.until("shim server " + pid + " exited", timeout, () -> !running(pid));
        }
    }

    /**
     * SIGKILLs the berth-monitors this fixture's servers started (after a failure: they outlive their server by
     * design), found by this fixture's temp dir in their command line, and the containers they are the parents of.
     */
    private void killMonitors() throws IOException {
        List<ProcessHandle> monitors = ProcessHandle.allProcesses().filter(p -> p.info().commandLine()
                .map(c -> c.startsWith("berth-monitor ") && c.contains(tmp.toString())).orElse(false)).toList();
        for (ProcessHandle m : monitors) {
            m.children().forEach(ProcessHandle::destroyForcibly);
            m.destroyForcibly();
        }
    }

    @Override
    public void close() throws IOException {
        try {
            for (TtrpcClient c : clients) {
                c.close();
            }
            awaitServersGone(Duration.ofSeconds(15));
        } finally {
            synchronized (serverPids) {
                serverPids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            }
            killMonitors();
            stopEvents();
            for (Path log : logs) {
                String text = Files.exists(log) ? Files.readString(log) : "";
                if (!text.isEmpty()) {
                    System.err.println("--- shim server log " + log + "\n" + text);
                }
            }
            CgroupFs.removeLeftovers("/" + namespace);
            try (Stream<Path> walk = Files.walk(tmp)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
