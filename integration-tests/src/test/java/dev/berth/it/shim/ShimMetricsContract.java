package dev.berth.it.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import dev.berth.api.events.TaskOOM;
import dev.berth.api.runtime.runc.options.Options;
import dev.berth.api.runtime.task.v2.CreateTaskRequest;
import dev.berth.api.runtime.task.v2.CreateTaskResponse;
import dev.berth.api.runtime.task.v2.DeleteRequest;
import dev.berth.api.runtime.task.v2.DeleteResponse;
import dev.berth.api.runtime.task.v2.ExecProcessRequest;
import dev.berth.api.runtime.task.v2.KillRequest;
import dev.berth.api.runtime.task.v2.ShutdownRequest;
import dev.berth.api.runtime.task.v2.StartRequest;
import dev.berth.api.runtime.task.v2.StartResponse;
import dev.berth.api.runtime.task.v2.StatsRequest;
import dev.berth.api.runtime.task.v2.StatsResponse;
import dev.berth.api.runtime.task.v2.UpdateTaskRequest;
import dev.berth.api.runtime.task.v2.WaitRequest;
import dev.berth.api.runtime.task.v2.WaitResponse;
import dev.berth.api.services.ttrpc.events.v1.Envelope;
import dev.berth.api.ttrpc.TtrpcException;
import dev.berth.it.support.Bundle;
import dev.berth.it.support.CgroupFs;
import dev.berth.it.support.Wait;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * berth-shim's Stats, Update and OOM events over ttrpc, with a fake events service on {@code TTRPC_ADDRESS} that
 * records every envelope the shim publishes. Each subclass selects an engine through the runc options of Create.
 */
abstract class ShimMetricsContract {
    private static final long MIB = 1024 * 1024;
    /** How containerd 1.6's typeurl names a JSON-encoded {@code specs.LinuxResources}. */
    private static final String LINUX_RESOURCES = "types.containerd.io/opencontainers/runtime-spec/1/LinuxResources";
    private static final String PROCESS_SPEC = "types.containerd.io/opencontainers/runtime-spec/1/Process";

    /** The runc options to send with Create; empty for none. */
    abstract Optional<Options> runtimeOptions();

    private ShimFixture fixture;
    private String namespace;
    private String id;
    private ShimFixture.Shim shim;

    @BeforeEach
    void startEvents() throws IOException {
        fixture = ShimFixture.create("bsm-");
        namespace = fixture.namespace;
        id = "it-" + ContainerdFixture.random();
    }

    /** Runs {@code start} in the bundle, connects, then Create and Start of a task running {@code args}. */
    private void runTask(Bundle bundle) throws IOException, InterruptedException {
        shim = fixture.startAndConnect(bundle.dir(), id);
        CreateTaskRequest.Builder create = CreateTaskRequest.newBuilder().setId(id)
                .setBundle(bundle.dir().toString());
        runtimeOptions().ifPresent(o -> create.setOptions(Any.newBuilder().setTypeUrl("containerd.runc.v1.Options")
                .setValue(o.toByteString())));
        call("Create", create.build(), CreateTaskResponse.parser());
        call("Start", StartRequest.newBuilder().setId(id).build(), StartResponse.parser());
    }

    private Bundle bundle() {
        return Bundle.create(fixture.tmp.resolve("bundle"), "/" + namespace + "/" + id);
    }

    @AfterEach
    void stopShim() throws IOException {
        try {
            if (shim != null) {
                stopTask();
            }
        } finally {
            killLeftovers();
            fixture.close();
        }
    }

    /** Kills every process of the task, waits for the init, deletes the task and shuts the shim down. */
    private void stopTask() {
        try {
            call("Kill", KillRequest.newBuilder().setId(id).setSignal(9).setAll(true).build(), Empty.parser());
            call("Wait", WaitRequest.newBuilder().setId(id).build(), WaitResponse.parser());
            call("Delete", DeleteRequest.newBuilder().setId(id).build(), DeleteResponse.parser());
        } catch (TtrpcException e) {
            // Create or Start may have failed; the cgroup sweep in stopShim kills what is left.
        }
        call("Shutdown", ShutdownRequest.newBuilder().setId(id).setNow(true).build(), Empty.parser());
    }

    /** SIGKILLs processes left in the test's own cgroup (only after a failure). */
    private void killLeftovers() {
        CgroupFs.procsFile("/" + namespace + "/" + id).ifPresent(procs -> CgroupFs.read(procs).lines()
                .filter(s -> !s.isBlank()).map(Long::parseLong)
                .forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly)));
    }

    @Test
    void stats_runningBusybox_reportsPidsMemoryAndCpu() throws Exception {
        runTask(bundle().memoryLimit(64 * MIB).pidsLimit(20).args("sleep", "60").writeConfig());

        Any stats = call("Stats", StatsRequest.newBuilder().setId(id).build(), StatsResponse.parser()).getStats();
        if (CgroupFs.isV2()) {
            assertEquals("io.containerd.cgroups.v2.Metrics", stats.getTypeUrl());
            var m = dev.berth.api.cgroups.v2.Metrics.parseFrom(stats.getValue());
            assertEquals(1, m.getPids().getCurrent());
            assertEquals(20, m.getPids().getLimit());
            assertTrue(m.getMemory().getUsage() > 0, m.toString());
            assertEquals(64 * MIB, m.getMemory().getUsageLimit());
        } else {
            assertEquals("io.containerd.cgroups.v1.Metrics", stats.getTypeUrl());
            var m = dev.berth.api.cgroups.v1.Metrics.parseFrom(stats.getValue());
            assertEquals(1, m.getPids().getCurrent());
            assertEquals(20, m.getPids().getLimit());
            assertTrue(m.getMemory().getUsage().getUsage() > 0, m.toString());
            assertEquals(64 * MIB, m.getMemory().getUsage().getLimit());
            assertTrue(m.getCpu().getUsage().getTotal() > 0, m.toString());
            assertTrue(m.getCpu().getUsage().getPerCpuCount() > 0, m.toString());
        }
    }

    @Test
    void update_pidsLimit_isReadBackThroughStats() throws Exception {
        runTask(bundle().pidsLimit(20).args("sleep", "60").writeConfig());

        call("Update", UpdateTaskRequest.newBuilder().setId(id).setResources(Any.newBuilder()
                .setTypeUrl(LINUX_RESOURCES).setValue(ByteString.copyFromUtf8("{\"pids\":{\"limit\":42}}")))
                .build(), Empty.parser());

        assertEquals(42, pidsLimit());
    }

    private long pidsLimit() throws InvalidProtocolBufferException {
        Any stats = call("Stats", StatsRequest.newBuilder().setId(id).build(), StatsResponse.parser()).getStats();
        return CgroupFs.isV2() ? dev.berth.api.cgroups.v2.Metrics.parseFrom(stats.getValue()).getPids().getLimit()
                : dev.berth.api.cgroups.v1.Metrics.parseFrom(stats.getValue()).getPids().getLimit();
    }

    @Test
    void oom_execOverTheMemoryLimit_publishesTaskOom() throws Exception {
        runTask(bundle().memoryLimit(32 * MIB).args("sleep", "60").writeConfig());

        String process = "{\"terminal\":false,\"args\":[\"tail\",\"/dev/zero\"],\"cwd\":\"/\","
                + "\"env\":[\"PATH=/bin\"],\"user\":{\"uid\":0,\"gid\":0}}";
        call("Exec", ExecProcessRequest.newBuilder().setId(id).setExecId("hog").setSpec(Any.newBuilder()
                .setTypeUrl(PROCESS_SPEC).setValue(ByteString.copyFromUtf8(process))).build(), Empty.parser());
        call("Start", StartRequest.newBuilder().setId(id).setExecId("hog").build(), StartResponse.parser());
        WaitResponse exit = call("Wait", WaitRequest.newBuilder().setId(id).setExecId("hog").build(),
                WaitResponse.parser());
        long exited = System.nanoTime();
        assertEquals(137, exit.getExitStatus());

        Wait.until("/tasks/oom published", Duration.ofSeconds(10),
                () -> fixture.delivered().stream().anyMatch(e -> e.getTopic().equals("/tasks/oom")));
        Envelope oom = fixture.delivered().stream().filter(e -> e.getTopic().equals("/tasks/oom")).findFirst()
                .orElseThrow();
        assertEquals("containerd.events.TaskOOM", oom.getEvent().getTypeUrl());
        assertEquals(id, TaskOOM.parseFrom(oom.getEvent().getValue()).getContainerId());
        assertEquals(namespace, oom.getNamespace());
        // the kernel notifies the shim as the cgroup runs out (an eventfd on v1, inotify on v2): the event is out
        // about when the killed process has been reaped, not up to a polling interval later (it was 200 ms)
        long arrived = fixture.arrivals().get(fixture.delivered().indexOf(oom));
        long afterWait = TimeUnit.NANOSECONDS.toMillis(arrived - exited);
        assertTrue(afterWait < 150, "/tasks/oom arrived " + afterWait + " ms after Wait returned");
    }

    private <T extends MessageLite> T call(String method, MessageLite request, Parser<T> parser) {
        return shim.call(method, request, parser);
    }
}
