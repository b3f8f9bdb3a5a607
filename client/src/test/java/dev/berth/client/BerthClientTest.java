package dev.berth.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.model.ContainerConfig;
import dev.berth.model.ExecConfig;
import dev.berth.model.HostConfig;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client library against a fake engine served in-process: requests, answers, streams and errors. Its
 * subclass runs the same calls over a unix socket through the client's own HTTP/2 ({@code UnixChannel}).
 */
class BerthClientTest {
    final FakeEngine engine = new FakeEngine();
    private Server server;
    private ManagedChannel channel;
    private String name;
    Berth berth;

    @BeforeEach
    void serve() throws IOException {
        server = serverBuilder()
                .addService(ServerInterceptors.intercept(engine.containers, engine.namespaceRecorder()))
                .addService(engine.volumes).addService(engine.system).addService(engine.transfer)
                .build().start();
        berth = client();
    }

    /** Where the fake engine is served: in-process here. */
    io.grpc.ServerBuilder<?> serverBuilder() throws IOException {
        name = InProcessServerBuilder.generateName();
        return InProcessServerBuilder.forName(name);
    }

    /** The client of {@link #serverBuilder()}'s server, bound to namespace ns1. */
    Berth client() throws IOException {
        channel = InProcessChannelBuilder.forName(name).build();
        return Berth.over(channel, "ns1");
    }

    @AfterEach
    void stop() throws InterruptedException, IOException {
        berth.close();
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private static ContainerConfig config(String... cmd) {
        return new ContainerConfig.Builder().image("busybox").cmd(List.of(cmd)).build();
    }

    @Test
    void create_sendsDockersJsonAndTheNamespace() {
        HostConfig host = new HostConfig.Builder().memory(64L << 20).capAdd(List.of("NET_ADMIN")).build();
        Results.Created created = berth.containers().create("web", config("sleep", "1"), host);

        assertEquals("web", created.id());
        assertEquals(List.of("sleep", "1"), engine.configs.get("web").cmd());
        assertEquals(64L << 20, engine.hosts.get("web").memory());
        assertEquals(List.of("NET_ADMIN"), engine.hosts.get("web").capAdd());
        assertEquals(List.of("ns1"), engine.namespaces);
    }

    @Test
    void errors_carryTheKindAndTheDaemonsMessage() {
        berth.containers().create("web", config("true"), HostConfig.EMPTY);

        DaemonException conflict = assertThrows(DaemonException.class,
                () -> berth.containers().create("web", config("true"), HostConfig.EMPTY));
        assertEquals(ErrorKind.ALREADY_EXISTS, conflict.kind());
        assertTrue(conflict.conflict());
        assertEquals("Conflict. The container name \"/web\" is already in use", conflict.getMessage());

        DaemonException missing = assertThrows(DaemonException.class, () -> berth.containers().inspect("nope"));
        assertTrue(missing.notFound());
        assertEquals("No such container: nope", missing.getMessage());
        assertFalse(missing.unreachable());
    }

    @Test
    void unreachableDaemon_isTold() throws IOException {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("berth-client-");
        try (Berth absent = Berth.connect(dir.resolve("absent.sock"), "ns1")) {
            DaemonException e = assertThrows(DaemonException.class, () -> absent.containers().inspect("x"));
            assertTrue(e.unreachable(), e.toString());
            assertEquals(ErrorKind.UNAVAILABLE, e.kind());
        } finally {
            java.nio.file.Files.delete(dir);
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(20)
    void runAttached_attachesAndWaitsBeforeStartAndAnswersTheStatus() throws InterruptedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = berth.containers().run("x", config("exit", "3"),
                new HostConfig.Builder().autoRemove(true).build(), InputStream.nullInputStream(), out, err);

        assertEquals(3, status);
        assertEquals("exiting\n", err.toString(StandardCharsets.UTF_8));
        assertAttachedAndWaitedTogetherBeforeStart(engine.calls, "wait removed");
    }

    @Test
    @org.junit.jupiter.api.Timeout(20)
    void attachAndWait_sendsBothAtOnce_andReturnsWithBothInPlace() throws InterruptedException {
        berth.containers().create("x", config("exit", "7"), HostConfig.EMPTY);

        Containers.AttachedWait set = berth.containers().attachAndWait("x",
                new Options.Attach(false, true, true, false, ""), "next-exit");
        // both acknowledged: a start now can miss neither the output nor the exit
        assertTrue(engine.calls.contains("attached"), engine.calls.toString());
        berth.containers().start("x");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (Attachment attachment = set.attachment()) {
            attachment.copyTo(out, err);
        }

        assertEquals(7, set.waiter().await());
        assertEquals("exiting\n", err.toString(StandardCharsets.UTF_8));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        assertEquals("create", engine.calls.getFirst());
        assertAttachedAndWaitedTogetherBeforeStart(engine.calls.subList(1, engine.calls.size()), "wait next-exit");
    }

    @Test
    void attachAndWait_ofAnUnknownContainer_throwsNotFound() {
        DaemonException e = assertThrows(DaemonException.class, () -> berth.containers().attachAndWait("nope",
                new Options.Attach(false, true, true, false, ""), "next-exit"));

        assertEquals(ErrorKind.NOT_FOUND, e.kind());
    }

    /**
     * {@code calls} is create (if given), the attach and the wait in either order, the attach in place, the start:
     * the wait went out with the attach, not after the attach's answer (which the fake delays by 200 ms), and the
     * start only after both were in place.
     */
    private static void assertAttachedAndWaitedTogetherBeforeStart(List<String> calls, String wait) {
        List<String> set = calls.getFirst().equals("create") ? calls.subList(1, calls.size()) : calls;
        assertEquals(4, set.size(), calls.toString());
        assertEquals(java.util.Set.of("attach", wait), java.util.Set.copyOf(set.subList(0, 2)), calls.toString());
        assertEquals(List.of("attached", "start"), set.subList(2, 4), calls.toString());
    }

    @Test
    @org.junit.jupiter.api.Timeout(20)
    void runAttached_withOpenStdin_sendsItAndClosesIt() throws InterruptedException {
        ContainerConfig config = config("cat").toBuilder().openStdin(true).attachStdin(true).build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int status = berth.containers().run("cat", config, HostConfig.EMPTY,
                new ByteArrayInputStream("abc\n".getBytes(StandardCharsets.UTF_8)), out, new ByteArrayOutputStream());

        assertEquals("abc\n", out.toString(StandardCharsets.UTF_8));
        assertEquals(4, status, "the fake exits with the number of bytes it read before stdin closed");
        assertAttachedAndWaitedTogetherBeforeStart(engine.calls, "wait next-exit");
    }

    @Test
    void runDetached_createsAndStarts() {
        assertEquals("bg", berth.containers().run("bg", config("sleep", "9"), HostConfig.EMPTY));
        assertEquals(List.of("create", "start"), engine.calls);
    }

    @Test
    void start_unknownContainer_isNotFound() {
        DaemonException e = assertThrows(DaemonException.class, () -> berth.containers().start("ghost"));
        assertTrue(e.notFound());
    }

    @Test
    void logs_areAStreamWithTimes() {
        berth.containers().create("l", config("true"), HostConfig.EMPTY);
        try (Stream<Output> logs = berth.containers().logs("l", Options.Logs.DEFAULT)) {
            List<Output> all = logs.toList();
            assertEquals(3, all.size());
            assertEquals("one\n", new String(all.getFirst().data(), StandardCharsets.UTF_8));
            assertEquals(Optional.of(Instant.ofEpochSecond(1_700_000_000)), all.getFirst().time());
            assertEquals(Output.Source.STDOUT, all.getFirst().source());
        }
    }

    @Test
    void logsFollowed_endWhenTheStreamIsClosed() {
        berth.containers().create("l", config("true"), HostConfig.EMPTY);
        Options.Logs follow = new Options.Logs(true, true, true, Optional.empty(), Optional.empty(),
                Optional.empty());
        try (Stream<Output> logs = berth.containers().logs("l", follow)) {
            assertEquals(2, logs.limit(2).count());
        }
        // the server's stream was cancelled: the next call works on the same channel
        assertEquals("l", berth.containers().inspect("l").path("Id").asText());
    }

    @Test
    void exec_streamsOutputAndTheExitCode() throws InterruptedException {
        berth.containers().create("c", config("sleep", "9"), HostConfig.EMPTY);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Attachment exec = berth.containers().exec("c", new ExecConfig(false, true, true, null, false, null,
                List.of("echo", "in-exec"), null, null, null))) {
            assertEquals(OptionalInt.of(7), exec.copyTo(out, new ByteArrayOutputStream()));
        }
        assertEquals("in-exec\n", out.toString(StandardCharsets.UTF_8));
        assertTrue(engine.calls.contains("execCreate c"));
    }

    @Test
    void cp_bothWays() throws IOException {
        byte[] tar = new byte[10_000];
        for (int i = 0; i < tar.length; i++) {
            tar[i] = (byte) i;
        }
        berth.containers().copyTo("c", "/data", new ByteArrayInputStream(tar), Options.CopyTo.DEFAULT);
        assertArrayEquals(tar, engine.archives.get("c:/data"));

        Results.Archive archive = berth.containers().copyFrom("c", "/data");
        try (InputStream in = archive.tar()) {
            assertArrayEquals(tar, in.readAllBytes());
        }
        assertEquals(10_000, archive.stat().path("size").asLong());
    }

    @Test
    void list_sendsFiltersAndAnswersDockersArray() {
        berth.containers().create("a", config("true"), HostConfig.EMPTY);
        JsonNode list = berth.containers().list(new Options.ListContainers(true, Map.of("name", List.of("a")), 0,
                false));
        assertEquals("/a", list.get(0).path("Names").get(0).asText());
        assertTrue(engine.calls.contains("list all=true filters=[name]"), engine.calls.toString());
    }

    @Test
    void events_areAStreamTheReaderEnds() {
        try (Stream<JsonNode> events = berth.events(Options.Events.DEFAULT)) {
            assertEquals(List.of("create", "start"), events.limit(2).map(e -> e.path("Action").asText()).toList());
        }
    }

    @Test
    void pull_reportsProgressAndTheImage() {
        List<Results.Progress> steps = new ArrayList<>();
        List<Results.PulledImage> images = berth.images().pull("docker.io/library/busybox:latest", steps::add);
        assertEquals(List.of(new Results.PulledImage("docker.io/library/busybox:latest", "sha256:bbbb", 0)), images);
        assertEquals("downloading", steps.getFirst().status());
        assertEquals(5, steps.getFirst().offset());
    }

    @Test
    void volumes_create() {
        JsonNode v = berth.volumes().create("data", Map.of(), Map.of("k", "v"));
        assertEquals("data", v.path("Name").asText());
        assertEquals("local", v.path("Driver").asText());
        assertEquals("v", v.path("Labels").path("k").asText());
    }

    @Test
    void unimplemented_isItsOwnKind() {
        DaemonException e = assertThrows(DaemonException.class, () -> berth.system().df());
        assertEquals(ErrorKind.UNIMPLEMENTED, e.kind());
    }
}
