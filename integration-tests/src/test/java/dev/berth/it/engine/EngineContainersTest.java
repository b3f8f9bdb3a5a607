package dev.berth.it.engine;

import static dev.berth.it.engine.EngineFixture.cmd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.services.engine.v1.ArchiveChunk;
import dev.berth.api.services.engine.v1.ArchivePath;
import dev.berth.api.services.engine.v1.ContainerRef;
import dev.berth.api.services.engine.v1.FilterValues;
import dev.berth.api.services.engine.v1.KillContainerRequest;
import dev.berth.api.services.engine.v1.ListContainersRequest;
import dev.berth.api.services.engine.v1.LogsRequest;
import dev.berth.api.services.engine.v1.OutputChunk;
import dev.berth.api.services.engine.v1.RemoveContainerRequest;
import dev.berth.api.services.engine.v1.RenameContainerRequest;
import dev.berth.api.services.engine.v1.StopContainerRequest;
import dev.berth.api.services.engine.v1.StreamKind;
import dev.berth.api.services.engine.v1.WaitContainerRequest;
import dev.berth.api.services.engine.v1.WaitContainerResponse;
import dev.berth.api.services.leases.v1.LeasesGrpc;
import dev.berth.api.services.leases.v1.ListRequest;
import dev.berth.api.services.snapshots.v1.ListSnapshotsRequest;
import dev.berth.api.services.snapshots.v1.SnapshotsGrpc;
import dev.berth.model.HostConfig;
import dev.berth.model.LogConfig;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The engine's container lifecycle with real containers: names, exit codes, logs, stop, kill, rm, list, rename. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EngineContainersTest {
    private EngineFixture f;

    @BeforeAll
    void start() throws Exception {
        f = EngineFixture.start();
    }

    @AfterAll
    void stop() throws IOException {
        if (f != null) {
            f.close();
        }
    }

    /** Waits (the wait in place first, as docker's CLI does), starts, and answers the exit code. */
    static int run(EngineFixture f, String id) {
        Iterator<WaitContainerResponse> wait = f.containers().wait(WaitContainerRequest.newBuilder()
                .setId(id).setCondition("next-exit").build());
        assertTrue(wait.next().getWaiting(), "the first message says the wait is in place");
        f.containers().start(ContainerRef.newBuilder().setId(id).build());
        return wait.next().getStatusCode();
    }

    static String logs(EngineFixture f, String id, StreamKind kind) {
        StringBuilder out = new StringBuilder();
        f.containers().logs(LogsRequest.newBuilder().setId(id).setStdout(kind == StreamKind.STDOUT)
                .setStderr(kind == StreamKind.STDERR).build()).forEachRemaining(c -> out.append(
                        c.getData().toStringUtf8()));
        return out.toString();
    }

    @Test
    void run_exitCodeStateAndLogs() throws Exception {
        String id = f.create("exits3", cmd("sh", "-c", "echo out; echo err >&2; exit 3"), null);
        assertTrue(id.matches("[0-9a-f]{64}"), id);
        JsonNode created = f.inspect("exits3");
        assertEquals("created", created.path("State").path("Status").asText());
        assertEquals("/exits3", created.path("Name").asText());
        assertEquals("sh", created.path("Path").asText());

        assertEquals(3, run(f, id));

        JsonNode c = f.inspect(id.substring(0, 12));
        assertEquals(id, c.path("Id").asText());
        assertEquals("exited", c.path("State").path("Status").asText());
        assertEquals(3, c.path("State").path("ExitCode").asInt());
        assertFalse(c.path("State").path("Running").asBoolean());
        assertFalse(c.path("State").path("FinishedAt").asText().startsWith("0001"));
        assertEquals("out\n", logs(f, id, StreamKind.STDOUT));
        assertEquals("err\n", logs(f, id, StreamKind.STDERR));
        Path log = Path.of(c.path("LogPath").asText());
        List<String> lines = Files.readAllLines(log);
        assertEquals(2, lines.size(), lines.toString());
        JsonNode first = EngineFixture.json(com.google.protobuf.ByteString.copyFromUtf8(lines.getFirst()));
        assertTrue(first.path("time").asText().matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), lines.getFirst());
        assertTrue(first.path("stream").asText().matches("stdout|stderr"), lines.getFirst());
    }

    @Test
    void create_nameInUse_isDockersConflict() {
        String id = f.create("taken", cmd("true"), null);
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> f.create("taken", cmd("true"), null));
        assertEquals(Status.Code.ALREADY_EXISTS, e.getStatus().getCode());
        assertEquals("Conflict. The container name \"/taken\" is already in use by container \"" + id
                + "\". You have to remove (or rename) that container to be able to reuse that name.",
                e.getStatus().getDescription());
        StatusRuntimeException bad = assertThrows(StatusRuntimeException.class,
                () -> f.create("-bad", cmd("true"), null));
        assertEquals(Status.Code.INVALID_ARGUMENT, bad.getStatus().getCode());
    }

    @Test
    void create_failingAfterTheSnapshot_leavesNothing() throws Exception {
        int snapshotsBefore = snapshots().size();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> f.create("nouser",
                cmd("true").user("no-such-user"), null));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getMessage());
        assertTrue(e.getStatus().getDescription().contains("no-such-user"), e.getMessage());
        assertEquals(0, f.list(ListContainersRequest.newBuilder().setAll(true)
                .putFilters("name", FilterValues.newBuilder().addValues("nouser").build()).build()).size());
        assertEquals(snapshotsBefore, snapshots().size(), "no snapshot left: " + snapshots());
        assertTrue(EngineFixture.ns(LeasesGrpc.newBlockingStub(f.channel())).list(ListRequest.getDefaultInstance())
                .getLeasesList().stream().noneMatch(l -> l.getId().startsWith("engine-create")));
        Path engineDir = f.dir().resolve("state/engine").resolve(EngineFixture.NAMESPACE);
        if (Files.exists(engineDir)) {
            try (Stream<Path> s = Files.list(engineDir)) {
                List<Path> left = s.filter(p -> !isOwnedByLiveContainer(p)).toList();
                assertEquals(List.of(), left);
            }
        }
        assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(engineDir + "/"),
                "nothing stays mounted");
    }

    private boolean isOwnedByLiveContainer(Path p) {
        try {
            f.inspect(p.getFileName().toString());
            return true;
        } catch (StatusRuntimeException | IOException e) {
            return false;
        }
    }

    private List<String> snapshots() {
        List<String> out = new ArrayList<>();
        EngineFixture.ns(SnapshotsGrpc.newBlockingStub(f.channel())).list(ListSnapshotsRequest.newBuilder()
                .setSnapshotter("overlayfs").build()).forEachRemaining(r -> r.getInfoList().forEach(i ->
                        out.add(i.getName())));
        return out;
    }

    @Test
    void stop_ignoredSignal_killsAfterTheTimeout() throws Exception {
        String id = f.create("sleeper", cmd("sleep", "60"), null);
        f.containers().start(ContainerRef.newBuilder().setId(id).build());
        JsonNode running = f.inspect(id);
        assertEquals("running", running.path("State").path("Status").asText());
        assertTrue(running.path("State").path("Pid").asInt() > 0);
        long t0 = System.nanoTime();
        // sleep is PID 1 without a SIGTERM handler: the kernel ignores the signal, so only SIGKILL ends it
        f.containers().stop(StopContainerRequest.newBuilder().setId(id).setTimeoutSeconds(1).build());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 900, "waited the timeout: " + ms + " ms");
        JsonNode c = f.inspect(id);
        assertEquals("exited", c.path("State").path("Status").asText());
        assertEquals(137, c.path("State").path("ExitCode").asInt());
        assertTrue(f.containers().stop(StopContainerRequest.newBuilder().setId(id).build()).getAlreadyStopped());
    }

    @Test
    void kill_withSignal_andNotRunning() throws Exception {
        String id = f.create("killme", cmd("sh", "-c", "trap 'exit 42' USR1; while true; do sleep 0.1; done"),
                null);
        Iterator<WaitContainerResponse> wait = f.containers().wait(WaitContainerRequest.newBuilder()
                .setId(id).setCondition("next-exit").build());
        assertTrue(wait.next().getWaiting());
        f.containers().start(ContainerRef.newBuilder().setId(id).build());
        Thread.sleep(300);
        f.containers().kill(KillContainerRequest.newBuilder().setId(id).setSignal("SIGUSR1").build());
        assertEquals(42, wait.next().getStatusCode());
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> f.containers().kill(
                KillContainerRequest.newBuilder().setId(id).build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
        assertEquals("Container " + id + " is not running", e.getStatus().getDescription());
    }

    @Test
    void remove_runningNeedsForce_andRemovesEverything() throws Exception {
        String id = f.create("rmme", cmd("sleep", "60"), null);
        f.containers().start(ContainerRef.newBuilder().setId(id).build());
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> f.containers().remove(
                RemoveContainerRequest.newBuilder().setId("rmme").build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().startsWith("You cannot remove a running container " + id),
                e.getMessage());
        Path log = Path.of(f.inspect(id).path("LogPath").asText());
        f.containers().remove(RemoveContainerRequest.newBuilder().setId("rmme").setForce(true).build());
        StatusRuntimeException gone = assertThrows(StatusRuntimeException.class, () -> f.inspect(id));
        assertEquals(Status.Code.NOT_FOUND, gone.getStatus().getCode());
        assertEquals("No such container: " + id, gone.getStatus().getDescription());
        assertFalse(Files.exists(log.getParent()));
        assertFalse(Files.exists(f.dir().resolve("state/engine").resolve(EngineFixture.NAMESPACE).resolve(id)));
        assertTrue(snapshots().stream().noneMatch(s -> s.equals(id)));
    }

    @Test
    void list_filtersAndRename() throws Exception {
        String a = f.create("list-a", cmd("true").labels(Map.of("tier", "front")), null);
        String b = f.create("list-b", cmd("sleep", "60"), null);
        f.containers().start(ContainerRef.newBuilder().setId(b).build());
        assertEquals(0, run(f, a));
        List<String> running = ids(f.list(ListContainersRequest.newBuilder()
                .putFilters("name", FilterValues.newBuilder().addValues("list-").build()).build()));
        assertEquals(List.of(b), running, () -> {
            try {
                return f.list(ListContainersRequest.newBuilder().setAll(true).build()).toString();
            } catch (IOException e) {
                return e.toString();
            }
        });
        assertEquals(List.of(a), ids(f.list(ListContainersRequest.newBuilder().setAll(true)
                .putFilters("label", FilterValues.newBuilder().addValues("tier=front").build()).build())));
        assertEquals(List.of(a), ids(f.list(ListContainersRequest.newBuilder()
                .putFilters("status", FilterValues.newBuilder().addValues("exited").build())
                .putFilters("name", FilterValues.newBuilder().addValues("^/list-").build()).build())));
        JsonNode row = f.list(ListContainersRequest.newBuilder().putFilters("id",
                FilterValues.newBuilder().addValues(b.substring(0, 10)).build()).build()).get(0);
        assertEquals("/list-b", row.path("Names").get(0).asText());
        assertEquals("running", row.path("State").asText());
        assertTrue(row.path("Status").asText().startsWith("Up "), row.toString());
        assertEquals("sleep 60", row.path("Command").asText());

        f.containers().rename(RenameContainerRequest.newBuilder().setId(b).setName("list-c").build());
        assertEquals("/list-c", f.inspect(b).path("Name").asText());
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> f.containers().rename(
                RenameContainerRequest.newBuilder().setId(b).setName("list-a").build()));
        assertEquals(Status.Code.ALREADY_EXISTS, e.getStatus().getCode());
        f.containers().remove(RemoveContainerRequest.newBuilder().setId(b).setForce(true).build());
    }

    private static List<String> ids(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(n -> out.add(n.path("Id").asText()));
        return out;
    }

    @Test
    void logs_rotateAtMaxSize_andTail() throws Exception {
        HostConfig host = new HostConfig.Builder().logConfig(new LogConfig("json-file",
                Map.of("max-size", "2k", "max-file", "3"))).build();
        String id = f.create("rotates", cmd("sh", "-c", "i=0; while [ $i -lt 300 ]; do echo line-$i; i=$((i+1)); "
                + "done"), host);
        assertEquals(0, run(f, id));
        Path log = Path.of(f.inspect(id).path("LogPath").asText());
        assertTrue(Files.exists(log.resolveSibling(log.getFileName() + ".1")), "rotated once at least");
        assertTrue(Files.exists(log.resolveSibling(log.getFileName() + ".2")), "two older files kept");
        assertFalse(Files.exists(log.resolveSibling(log.getFileName() + ".3")), "max-file 3: no fourth file");
        for (String suffix : List.of("", ".1", ".2")) {
            long size = Files.size(log.resolveSibling(log.getFileName() + suffix));
            assertTrue(size < 2048 + 200, suffix + ": " + size);
        }
        List<OutputChunk> tail = new ArrayList<>();
        f.containers().logs(LogsRequest.newBuilder().setId(id).setTail(2).build()).forEachRemaining(tail::add);
        assertEquals(List.of("line-298\n", "line-299\n"), tail.stream().map(c -> c.getData().toStringUtf8())
                .toList());
        assertTrue(tail.getFirst().hasTime());

        String none = f.create("nolog", cmd("echo", "hi"), new HostConfig.Builder().logConfig(
                new LogConfig("none", null)).build());
        assertEquals(0, run(f, none));
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> logs(f, none,
                StreamKind.STDOUT));
        assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
        assertFalse(Files.exists(Path.of(f.inspect(none).path("LogPath").asText())));
    }

    @Test
    void archive_putIntoACreatedContainer_getFromItRunning() throws Exception {
        String id = f.create("cp", cmd("sleep", "60"), null);
        JsonNode stat = EngineFixture.json(f.containers().archiveStat(ArchivePath.newBuilder().setId(id)
                .setPath("/etc/passwd").build()).getJson());
        assertEquals("passwd", stat.path("name").asText(), stat.toString());
        java.io.ByteArrayOutputStream tar = new java.io.ByteArrayOutputStream();
        try (dev.berth.testsupport.TarWriter w = new dev.berth.testsupport.TarWriter(tar)) {
            w.file("hello.txt", 0644, "hello from the host\n".getBytes(StandardCharsets.UTF_8));
        }
        java.util.concurrent.CompletableFuture<Void> put = new java.util.concurrent.CompletableFuture<>();
        var up = f.containersAsync().archivePut(new io.grpc.stub.StreamObserver<>() {
            @Override
            public void onNext(dev.berth.api.services.engine.v1.Empty value) {
            }

            @Override
            public void onError(Throwable t) {
                put.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                put.complete(null);
            }
        });
        up.onNext(ArchiveChunk.newBuilder().setTarget(ArchivePath.newBuilder().setId(id).setPath("/tmp"))
                .setData(com.google.protobuf.ByteString.copyFrom(tar.toByteArray())).build());
        up.onCompleted();
        put.get(20, java.util.concurrent.TimeUnit.SECONDS);

        f.containers().start(ContainerRef.newBuilder().setId(id).build());
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        Iterator<ArchiveChunk> chunks = f.containers().archiveGet(ArchivePath.newBuilder().setId(id)
                .setPath("/tmp/hello.txt").build());
        ArchiveChunk first = chunks.next();
        assertEquals("hello.txt", EngineFixture.json(first.getStat()).path("name").asText());
        got.writeBytes(first.getData().toByteArray());
        chunks.forEachRemaining(c -> got.writeBytes(c.getData().toByteArray()));
        assertTrue(got.toString(StandardCharsets.ISO_8859_1).contains("hello from the host\n"), "the file in the tar");
        f.containers().remove(RemoveContainerRequest.newBuilder().setId(id).setForce(true).build());
    }

    @Test
    void logs_follow_endsWhenTheContainerStops() throws Exception {
        String id = f.create("follows", cmd("sh", "-c", "for i in 1 2 3; do echo n$i; sleep 0.2; done"), null);
        f.containers().start(ContainerRef.newBuilder().setId(id).build());
        StringBuilder out = new StringBuilder();
        f.containers().logs(LogsRequest.newBuilder().setId(id).setFollow(true).build())
                .forEachRemaining(c -> out.append(c.getData().toString(StandardCharsets.UTF_8)));
        assertEquals("n1\nn2\nn3\n", out.toString());
    }
}
