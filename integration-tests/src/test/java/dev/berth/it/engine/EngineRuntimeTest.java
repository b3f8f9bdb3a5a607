package dev.berth.it.engine;

import static dev.berth.it.engine.EngineFixture.cmd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import dev.berth.api.services.engine.v1.AttachInput;
import dev.berth.api.services.engine.v1.AttachRequest;
import dev.berth.api.services.engine.v1.ContainerRef;
import dev.berth.api.services.engine.v1.ExecCreateRequest;
import dev.berth.api.services.engine.v1.ExecInput;
import dev.berth.api.services.engine.v1.ExecRef;
import dev.berth.api.services.engine.v1.ExecStartRequest;
import dev.berth.api.services.engine.v1.OutputChunk;
import dev.berth.api.services.engine.v1.StopContainerRequest;
import dev.berth.api.services.engine.v1.StreamKind;
import dev.berth.api.services.engine.v1.WaitContainerRequest;
import dev.berth.api.services.engine.v1.WaitContainerResponse;
import dev.berth.it.support.Wait;
import dev.berth.model.DockerJson;
import dev.berth.model.ExecConfig;
import dev.berth.model.HealthConfig;
import dev.berth.model.HostConfig;
import dev.berth.model.RestartPolicy;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the engine does while containers run, with real containers: attach with stdin, exec, restart policies
 * (counts, back-off, manual stop, berthd restart), health checks, --rm, events.
 */
class EngineRuntimeTest {
    private EngineFixture f;

    @BeforeEach
    void start() throws Exception {
        f = EngineFixture.start();
    }

    @AfterEach
    void stop() throws IOException {
        if (f != null) {
            f.close();
        }
    }

    /** Collects a stream of output chunks until its last message. */
    private static final class Collector implements StreamObserver<OutputChunk> {
        final StringBuilder stdout = new StringBuilder();
        final StringBuilder stderr = new StringBuilder();
        final CompletableFuture<Integer> exit = new CompletableFuture<>();

        @Override
        public synchronized void onNext(OutputChunk c) {
            if (c.getExited()) {
                exit.complete(c.getExitCode());
            } else {
                (c.getStream() == StreamKind.STDERR ? stderr : stdout).append(c.getData().toStringUtf8());
            }
        }

        @Override
        public void onError(Throwable t) {
            exit.completeExceptionally(t);
        }

        @Override
        public void onCompleted() {
            exit.complete(Integer.MIN_VALUE);
        }
    }

    @Test
    void attach_stdinAndOutput_beforeStart() throws Exception {
        String id = f.create("attached", cmd("cat").openStdin(true).stdinOnce(true).attachStdin(true), null);
        Collector out = new Collector();
        StreamObserver<AttachInput> in = f.containersAsync().attach(out);
        in.onNext(AttachInput.newBuilder().setStart(AttachRequest.newBuilder().setId(id).setStdin(true)
                .setStdout(true).setStderr(true)).build());
        Thread.sleep(200);
        f.containers().start(ContainerRef.newBuilder().setId(id).build());
        in.onNext(AttachInput.newBuilder().setStdin(ByteString.copyFromUtf8("hello\n")).build());
        in.onNext(AttachInput.newBuilder().setCloseStdin(true).build());
        assertEquals(0, out.exit.get(20, TimeUnit.SECONDS));
        assertEquals("hello\n", out.stdout.toString());
        in.onCompleted();
        assertEquals("hello\n", EngineContainersTest.logs(f, id, StreamKind.STDOUT), "the log has it too");
    }

    @Test
    void exec_outputExitCodeAndInspect() throws Exception {
        String id = f.create("execs", cmd("sleep", "60"), null);
        f.containers().start(ContainerRef.newBuilder().setId(id).build());
        String exec = f.containers().execCreate(ExecCreateRequest.newBuilder().setContainer("execs")
                .setConfig(ByteString.copyFrom(DockerJson.write(new ExecConfig(false, true, true, null, false,
                        List.of("E=1"), List.of("sh", "-c", "echo hi $E; echo err >&2; exit 4"), false, null,
                        null)))).build()).getId();
        Collector out = new Collector();
        StreamObserver<ExecInput> in = f.containersAsync().execStart(out);
        in.onNext(ExecInput.newBuilder().setStart(ExecStartRequest.newBuilder().setId(exec)).build());
        assertEquals(4, out.exit.get(20, TimeUnit.SECONDS));
        assertEquals("hi 1\n", out.stdout.toString());
        assertEquals("err\n", out.stderr.toString());
        in.onCompleted();
        JsonNode inspect = EngineFixture.json(f.containers().execInspect(ExecRef.newBuilder().setId(exec).build())
                .getJson());
        assertEquals(4, inspect.path("ExitCode").asInt());
        assertFalse(inspect.path("Running").asBoolean());
        assertEquals(id, inspect.path("ContainerID").asText());

        String missing = f.containers().execCreate(ExecCreateRequest.newBuilder().setContainer(id)
                .setConfig(ByteString.copyFrom(DockerJson.write(new ExecConfig(false, true, true, null, false,
                        null, List.of("/no/such/binary"), false, null, null)))).build()).getId();
        Collector failed = new Collector();
        f.containersAsync().execStart(failed).onNext(ExecInput.newBuilder().setStart(ExecStartRequest.newBuilder()
                .setId(missing)).build());
        Exception e = assertThrows(Exception.class, () -> failed.exit.get(20, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof StatusRuntimeException, e.toString());
        assertEquals(127, EngineFixture.json(f.containers().execInspect(ExecRef.newBuilder().setId(missing)
                .build()).getJson()).path("ExitCode").asInt());
    }

    @Test
    void restartOnFailure_countsAndBacksOff() throws Exception {
        HostConfig host = new HostConfig.Builder().restartPolicy(new RestartPolicy("on-failure", 2)).build();
        Instant t0 = Instant.now();
        String id = f.create("fails", cmd("sh", "-c", "exit 1"), host);
        Iterator<WaitContainerResponse> wait = f.containers().wait(WaitContainerRequest.newBuilder().setId(id)
                .setCondition("next-exit").build());
        assertTrue(wait.next().getWaiting());
        f.containers().start(ContainerRef.newBuilder().setId(id).build());
        Wait.until("two restarts, then exited", Duration.ofSeconds(15), () -> {
            JsonNode c = inspect(id);
            return c.path("RestartCount").asInt() == 2 && c.path("State").path("Status").asText().equals("exited");
        });
        Thread.sleep(500);
        JsonNode c = f.inspect(id);
        assertEquals(2, c.path("RestartCount").asInt(), "on-failure:2 stops after two restarts");
        assertEquals(1, c.path("State").path("ExitCode").asInt());
        List<JsonNode> events = f.events(t0);
        List<Long> starts = new ArrayList<>();
        List<Long> dies = new ArrayList<>();
        for (JsonNode e : events) {
            if (e.path("Actor").path("ID").asText().equals(id)) {
                if (e.path("Action").asText().equals("start")) {
                    starts.add(e.path("timeNano").asLong());
                } else if (e.path("Action").asText().equals("die")) {
                    dies.add(e.path("timeNano").asLong());
                    assertEquals("1", e.path("Actor").path("Attributes").path("exitCode").asText());
                }
            }
        }
        assertEquals(3, starts.size(), events.toString());
        assertEquals(3, dies.size(), events.toString());
        assertTrue(starts.get(1) - dies.get(0) >= 100_000_000L, "first back-off 100 ms");
        assertTrue(starts.get(2) - dies.get(1) >= 200_000_000L, "second back-off 200 ms");
    }

    @Test
    void restartAlways_manualStopHolds_andBerthdRestartBringsItBack() throws Exception {
        HostConfig always = new HostConfig.Builder().restartPolicy(new RestartPolicy("always", 0)).build();
        HostConfig unlessStopped = new HostConfig.Builder().restartPolicy(new RestartPolicy("unless-stopped", 0))
                .build();
        String a = f.create("always", cmd("sh", "-c", "sleep 0.3; exit 1"), always);
        String u = f.create("unless", cmd("sleep", "60"), unlessStopped);
        String plain = f.create("plain", cmd("sh", "-c", "sleep 2; echo after"), null);
        f.containers().start(ContainerRef.newBuilder().setId(a).build());
        f.containers().start(ContainerRef.newBuilder().setId(u).build());
        Wait.until("always restarted", Duration.ofSeconds(10), () -> inspect(a).path("RestartCount").asInt() >= 1);
        f.containers().stop(StopContainerRequest.newBuilder().setId(a).setTimeoutSeconds(1).build());
        f.containers().stop(StopContainerRequest.newBuilder().setId(u).setTimeoutSeconds(1).build());
        int count = f.inspect(a).path("RestartCount").asInt();
        Thread.sleep(1000);
        JsonNode stopped = f.inspect(a);
        assertEquals("exited", stopped.path("State").path("Status").asText(), "a manual stop holds");
        assertEquals(count, stopped.path("RestartCount").asInt());

        f.containers().start(ContainerRef.newBuilder().setId(plain).build());
        f.reopen();

        Wait.until("always back after berthd's restart", Duration.ofSeconds(10),
                () -> inspect(a).path("State").path("Status").asText().matches("running|restarting"));
        assertEquals("exited", f.inspect(u).path("State").path("Status").asText(),
                "unless-stopped stays stopped after a manual stop");
        assertEquals("running", f.inspect(plain).path("State").path("Status").asText(), "re-attached");
        Iterator<WaitContainerResponse> wait = f.containers().wait(WaitContainerRequest.newBuilder().setId(plain)
                .build());
        assertTrue(wait.next().getWaiting());
        assertEquals(0, wait.next().getStatusCode());
        assertEquals("after\n", EngineContainersTest.logs(f, plain, StreamKind.STDOUT),
                "output written after berthd's restart is in the log");
    }

    @Test
    void healthcheck_turnsUnhealthy_andHealthy() throws Exception {
        long ms = 1_000_000L;
        String sick = f.create("sick", cmd("sleep", "60").healthcheck(new HealthConfig(
                List.of("CMD-SHELL", "echo probe; exit 1"), 1000 * ms, 5000 * ms, null, 2)), null);
        String well = f.create("well", cmd("sleep", "60").healthcheck(new HealthConfig(
                List.of("CMD", "true"), 300 * ms, 5000 * ms, null, 2)), null);
        Instant t0 = Instant.now();
        f.containers().start(ContainerRef.newBuilder().setId(sick).build());
        assertEquals("starting", f.inspect(sick).path("State").path("Health").path("Status").asText());
        f.containers().start(ContainerRef.newBuilder().setId(well).build());
        Wait.until("unhealthy", Duration.ofSeconds(20),
                () -> inspect(sick).path("State").path("Health").path("Status").asText().equals("unhealthy"));
        JsonNode health = f.inspect(sick).path("State").path("Health");
        assertTrue(health.path("FailingStreak").asInt() >= 2, health.toString());
        assertEquals(1, health.path("Log").get(0).path("ExitCode").asInt());
        assertEquals("probe\n", health.path("Log").get(0).path("Output").asText());
        Wait.until("healthy", Duration.ofSeconds(20),
                () -> inspect(well).path("State").path("Health").path("Status").asText().equals("healthy"));
        assertTrue(f.events(t0).stream().anyMatch(e -> e.path("Action").asText().equals("health_status: unhealthy")
                && e.path("Actor").path("ID").asText().equals(sick)));
    }

    @Test
    void autoRemove_removesOnExit_andRefusesARestartPolicy() throws Exception {
        String id = f.create("autorm", cmd("true"), new HostConfig.Builder().autoRemove(true).build());
        Iterator<WaitContainerResponse> wait = f.containers().wait(WaitContainerRequest.newBuilder().setId(id)
                .setCondition("removed").build());
        assertTrue(wait.next().getWaiting());
        f.containers().start(ContainerRef.newBuilder().setId(id).build());
        assertEquals(0, wait.next().getStatusCode());
        StatusRuntimeException gone = assertThrows(StatusRuntimeException.class, () -> f.inspect(id));
        assertEquals(Status.Code.NOT_FOUND, gone.getStatus().getCode());

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> f.create("rmrestart",
                cmd("true"), new HostConfig.Builder().autoRemove(true)
                        .restartPolicy(new RestartPolicy("always", 0)).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    }

    private JsonNode inspect(String id) {
        try {
            return f.inspect(id);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
