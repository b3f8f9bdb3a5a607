package dev.berth.it.engine;

import static dev.berth.it.engine.EngineFixture.cmd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import dev.berth.api.services.engine.v1.ContainerRef;
import dev.berth.api.services.engine.v1.Empty;
import dev.berth.api.services.engine.v1.ExecCreateRequest;
import dev.berth.api.services.engine.v1.ExecInput;
import dev.berth.api.services.engine.v1.ExecStartRequest;
import dev.berth.api.services.engine.v1.FilterValues;
import dev.berth.api.services.engine.v1.ImagesGrpc;
import dev.berth.api.services.engine.v1.JsonDocument;
import dev.berth.api.services.engine.v1.ListContainersRequest;
import dev.berth.api.services.engine.v1.OutputChunk;
import dev.berth.api.services.engine.v1.PruneRequest;
import dev.berth.api.services.engine.v1.PruneResponse;
import dev.berth.api.services.engine.v1.StatsRequest;
import dev.berth.api.services.engine.v1.StopContainerRequest;
import dev.berth.api.services.engine.v1.StreamKind;
import dev.berth.api.services.engine.v1.UpdateContainerRequest;
import dev.berth.api.services.engine.v1.UpdateContainerResponse;
import dev.berth.api.services.images.v1.CreateImageRequest;
import dev.berth.api.services.images.v1.DeleteImageRequest;
import dev.berth.api.services.images.v1.Image;
import dev.berth.api.services.transfer.v1.CommitRequest;
import dev.berth.api.services.transfer.v1.CommitResponse;
import dev.berth.api.services.transfer.v1.TransferGrpc;
import dev.berth.model.ExecConfig;
import dev.berth.model.HostConfig;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The engine's reports and changes with real containers: stats (memory, pids, CPU from the task's cgroup; the
 * stream's samples), update (the limit in the container's own cgroup file and in inspect; docker's refusals),
 * changes (docker diff), df and image prune.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class EngineStatsTest {
    private static final long MB = 1024 * 1024;
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

    private String started(String name, String script, HostConfig host) {
        String id = f.create(name, cmd("sh", "-c", script), host);
        f.containers().start(ContainerRef.newBuilder().setId(id).build());
        return id;
    }

    /** Runs {@code script} in the running container; its stdout (the exit code must be 0). */
    private String exec(String id, String script) throws Exception {
        String exec = f.containers().execCreate(ExecCreateRequest.newBuilder().setContainer(id)
                .setConfig(ByteString.copyFrom(dev.berth.model.DockerJson.write(new ExecConfig(false, true, true,
                        null, false, null, List.of("sh", "-c", script), false, null, null)))).build()).getId();
        StringBuilder out = new StringBuilder();
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        StreamObserver<ExecInput> in = f.containersAsync().execStart(new StreamObserver<>() {
            @Override
            public synchronized void onNext(OutputChunk c) {
                if (c.getExited()) {
                    exit.complete(c.getExitCode());
                } else if (c.getStream() == StreamKind.STDOUT) {
                    out.append(c.getData().toStringUtf8());
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
        });
        in.onNext(ExecInput.newBuilder().setStart(ExecStartRequest.newBuilder().setId(exec)).build());
        assertEquals(0, exit.get(60, TimeUnit.SECONDS), "exec " + script + ": " + out);
        in.onCompleted();
        synchronized (this) {
            return out.toString();
        }
    }

    private JsonNode oneShot(String id) throws IOException {
        Iterator<JsonDocument> it = f.containers().stats(StatsRequest.newBuilder().setId(id).setOneShot(true).build());
        JsonNode doc = EngineFixture.json(it.next().getJson());
        assertFalse(it.hasNext(), "one document");
        return doc;
    }

    @Test
    void stats_memoryPidsAndCpu_ofARunningContainer() throws Exception {
        String id = started("stats-busy", "sleep 1000 & wait", null);
        JsonNode first = oneShot("stats-busy");
        assertEquals("/stats-busy", first.path("name").asText());
        assertEquals(id, first.path("id").asText());
        assertEquals("0001-01-01T00:00:00Z", first.path("preread").asText(), "one-shot: no previous sample");
        assertEquals(0, first.path("precpu_stats").path("cpu_usage").path("total_usage").asLong());
        assertEquals(2, first.path("pids_stats").path("current").asInt(), "sh and its sleep: " + first);
        assertTrue(first.path("cpu_stats").path("system_cpu_usage").asLong() > 0, first.toString());
        assertTrue(first.path("cpu_stats").path("online_cpus").asInt() > 0, first.toString());
        long limit = first.path("memory_stats").path("limit").asLong();
        assertTrue(limit > 0, "unlimited: the host's memory " + first);
        long before = first.path("memory_stats").path("usage").asLong();
        assertTrue(before > 0, first.toString());
        assertFalse(first.has("networks"), "no network of its own but lo: " + first);

        exec(id, "dd if=/dev/zero of=/dev/shm/fill bs=1M count=20 2>/dev/null");
        JsonNode filled = oneShot(id);
        long after = filled.path("memory_stats").path("usage").asLong();
        // 20 MiB into shm: the cgroup's usage grew by a little less in one suite run (19.86 MiB), other pages freed
        assertTrue(after - before >= 18 * MB, "usage " + before + " → " + after);

        exec(id, "sleep 300 >/dev/null 2>&1 &");
        assertEquals(3, oneShot(id).path("pids_stats").path("current").asInt(), "a started sleep counts");

        long cpuBefore = filled.path("cpu_stats").path("cpu_usage").path("total_usage").asLong();
        exec(id, "timeout 1 sh -c 'while :; do :; done'; true");
        long cpuAfter = oneShot(id).path("cpu_stats").path("cpu_usage").path("total_usage").asLong();
        assertTrue(cpuAfter - cpuBefore >= 100_000_000L, "a busy second: " + cpuBefore + " → " + cpuAfter);
    }

    @Test
    void stats_stream_carriesThePreviousSample_andTheDefaultAnswersTwo() throws Exception {
        String id = started("stats-stream", "while :; do :; done", null);
        Context.CancellableContext call = Context.current().withCancellation();
        List<JsonNode> docs = new ArrayList<>();
        try {
            call.run(() -> {
                Iterator<JsonDocument> it = f.containers().stats(StatsRequest.newBuilder().setId(id)
                        .setStream(true).build());
                for (int i = 0; i < 3; i++) {
                    try {
                        docs.add(EngineFixture.json(it.next().getJson()));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            });
        } finally {
            call.cancel(null);
        }
        for (int i = 1; i < docs.size(); i++) {
            assertEquals(docs.get(i - 1).path("read").asText(), docs.get(i).path("preread").asText());
            assertEquals(docs.get(i - 1).path("cpu_stats"), docs.get(i).path("precpu_stats"));
        }
        JsonNode last = docs.getLast();
        double cpuDelta = last.path("cpu_stats").path("cpu_usage").path("total_usage").asDouble()
                - last.path("precpu_stats").path("cpu_usage").path("total_usage").asDouble();
        double systemDelta = last.path("cpu_stats").path("system_cpu_usage").asDouble()
                - last.path("precpu_stats").path("system_cpu_usage").asDouble();
        assertTrue(cpuDelta > 0 && systemDelta > 0, last.toString());

        Iterator<JsonDocument> single = f.containers().stats(StatsRequest.newBuilder().setId(id).build());
        JsonNode two = EngineFixture.json(single.next().getJson());
        assertFalse(single.hasNext());
        assertTrue(two.path("precpu_stats").path("cpu_usage").path("total_usage").asLong() > 0,
                "the default waits for a second sample: " + two);

        f.containers().stop(StopContainerRequest.newBuilder().setId(id).setTimeoutSeconds(0).build());
        JsonNode stopped = oneShot(id);
        assertEquals("0001-01-01T00:00:00Z", stopped.path("read").asText(), "a stopped container: zeros");
        assertEquals(0, stopped.path("cpu_stats").path("cpu_usage").path("total_usage").asLong());
        assertEquals("/stats-stream", stopped.path("name").asText());
        Iterator<JsonDocument> stream = f.containers().stats(StatsRequest.newBuilder().setId(id).setStream(true)
                .build());
        stream.next();
        assertFalse(stream.hasNext(), "the stream of a stopped container ends");
    }

    private UpdateContainerResponse update(String id, String json) {
        return f.containers().update(UpdateContainerRequest.newBuilder().setId(id)
                .setUpdate(ByteString.copyFromUtf8(json)).build());
    }

    /** The container's memory limit as it sees it in its cgroup (v1 or v2). */
    private long memoryLimitInside(String id) throws Exception {
        String v = exec(id, "cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null"
                + " || cat /sys/fs/cgroup/memory.max").strip();
        return v.equals("max") ? Long.MAX_VALUE : Long.parseLong(v);
    }

    @Test
    void update_memory_reachesTheRunningCgroup_andInspect_andDockersRefusals() throws Exception {
        String id = started("update-mem", "sleep 1000", null);
        UpdateContainerResponse r = update(id, "{\"Memory\": 67108864, \"PidsLimit\": 50, \"CpuShares\": 512}");
        assertEquals(List.of(), r.getWarningsList());
        assertEquals(64 * MB, memoryLimitInside(id));
        JsonNode host = f.inspect(id).path("HostConfig");
        assertEquals(64 * MB, host.path("Memory").asLong());
        assertEquals(50, host.path("PidsLimit").asInt());
        assertEquals(512, host.path("CpuShares").asInt());
        assertEquals(64 * MB, oneShot(id).path("memory_stats").path("limit").asLong());
        assertEquals(50, oneShot(id).path("pids_stats").path("limit").asInt());

        StatusRuntimeException tiny = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                () -> update(id, "{\"Memory\": 1048576}"));
        assertEquals(Status.Code.INVALID_ARGUMENT, tiny.getStatus().getCode());
        assertEquals("Minimum memory limit allowed is 6MB", tiny.getStatus().getDescription());
        StatusRuntimeException swap = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                () -> update(id, "{\"Memory\": 67108864, \"MemorySwap\": 33554432}"));
        assertEquals("Minimum memoryswap limit should be larger than memory limit, see usage",
                swap.getStatus().getDescription());
        assertEquals(64 * MB, f.inspect(id).path("HostConfig").path("Memory").asLong(), "nothing changed");

        String rm = f.create("update-rm", cmd("sleep", "1000"), new HostConfig.Builder().autoRemove(true).build());
        StatusRuntimeException restart = org.junit.jupiter.api.Assertions.assertThrows(
                StatusRuntimeException.class, () -> update(rm, "{\"RestartPolicy\": {\"Name\": \"always\"}}"));
        assertEquals("Cannot update container " + rm + ": Restart policy cannot be updated because AutoRemove is "
                + "enabled for the container", restart.getStatus().getDescription());

        String later = f.create("update-later", cmd("sleep", "1000"), null);
        update(later, "{\"Memory\": 33554432, \"RestartPolicy\": {\"Name\": \"on-failure\", "
                + "\"MaximumRetryCount\": 2}}");
        assertEquals("on-failure", f.inspect(later).path("HostConfig").path("RestartPolicy").path("Name").asText());
        f.containers().start(ContainerRef.newBuilder().setId(later).build());
        assertEquals(32 * MB, memoryLimitInside(later), "a stopped container's update applies at its start");
    }

    private Set<String> changes(String id) throws IOException {
        Set<String> out = new TreeSet<>();
        for (JsonNode c : EngineFixture.json(f.containers().changes(ContainerRef.newBuilder().setId(id).build())
                .getJson())) {
            out.add("CAD".charAt(c.path("Kind").asInt()) + " " + c.path("Path").asText());
        }
        return out;
    }

    @Test
    void changes_ofARunningAndThenStoppedContainer() throws Exception {
        String id = started("changes", "touch /new && rm /bin/true && echo x >> /etc/x && touch /ready"
                + " && sleep 1000", null);
        Set<String> want = Set.of("C /bin", "D /bin/true", "C /etc", "A /etc/x", "A /new", "A /ready");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Set<String> running = changes(id);
        while (!running.contains("A /ready") && System.nanoTime() < deadline) {
            Thread.sleep(100);
            running = changes(id);
        }
        assertEquals(new TreeSet<>(want), running);
        f.containers().stop(StopContainerRequest.newBuilder().setId(id).setTimeoutSeconds(0).build());
        assertEquals(new TreeSet<>(want), changes(id), "the same once stopped");
        assertEquals(Set.of(), changes(f.create("unchanged", cmd("true"), null)), "a created container: none");
    }

    @Test
    void df_figures_andContainerPruneReclaimsTheirBytes() throws Exception {
        String id = started("df-writer", "dd if=/dev/zero of=/data bs=1M count=2 2>/dev/null;"
                + " dd if=/dev/zero of=/vol/f bs=1M count=1 2>/dev/null; touch /ready; sleep 1000",
                new HostConfig.Builder().binds(List.of("df-vol:/vol")).build());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!changes(id).contains("A /ready") && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        JsonNode df = EngineFixture.json(f.system().df(Empty.getDefaultInstance()).getJson());
        assertTrue(df.path("LayersSize").asLong() > 0, df.toString());
        JsonNode busybox = null;
        for (JsonNode i : df.path("Images")) {
            if (i.path("RepoTags").toString().contains("busybox")) {
                busybox = i;
            }
        }
        assertTrue(busybox != null, df.toString());
        assertTrue(busybox.path("Containers").asInt() >= 1, busybox.toString());
        assertTrue(busybox.path("Size").asLong() > 0 && busybox.path("SharedSize").asLong() >= 0, busybox.toString());
        JsonNode writer = null;
        for (JsonNode c : df.path("Containers")) {
            if (c.path("Id").asText().equals(id)) {
                writer = c;
            }
        }
        assertTrue(writer != null, df.toString());
        assertTrue(writer.path("SizeRw").asLong() >= 2 * MB, writer.toString());
        assertEquals(writer.path("SizeRw").asLong() + busybox.path("Size").asLong(),
                writer.path("SizeRootFs").asLong());
        JsonNode volume = null;
        for (JsonNode v : df.path("Volumes")) {
            if (v.path("Name").asText().equals("df-vol")) {
                volume = v;
            }
        }
        assertTrue(volume != null, df.toString());
        assertTrue(volume.path("UsageData").path("Size").asLong() >= MB, volume.toString());
        assertEquals(1, volume.path("UsageData").path("RefCount").asInt());
        assertTrue(df.path("BuildCache").isArray() && df.path("BuildCache").isEmpty());
        JsonNode sized = f.list(ListContainersRequest.newBuilder().setAll(true).setSize(true).build());
        assertTrue(sized.toString().contains("\"SizeRw\":"), "ps --size: " + sized);

        f.containers().stop(StopContainerRequest.newBuilder().setId(id).setTimeoutSeconds(0).build());
        PruneResponse pruned = f.containers().prune(PruneRequest.newBuilder()
                .putFilters("label", FilterValues.newBuilder().addValues("never-set").build()).build());
        assertEquals(0, pruned.getDeletedCount(), "the label filter holds: " + pruned);
        String other = f.create("df-stopped", cmd("true"), null);
        pruned = f.containers().prune(PruneRequest.getDefaultInstance());
        assertTrue(pruned.getDeletedList().containsAll(List.of(id, other)), pruned.toString());
        assertTrue(pruned.getSpaceReclaimed() >= 2 * MB, "the writer's 2 MB: " + pruned);
    }

    private ImagesGrpc.ImagesBlockingStub images() {
        return EngineFixture.ns(ImagesGrpc.newBlockingStub(f.channel()));
    }

    private dev.berth.api.services.images.v1.ImagesGrpc.ImagesBlockingStub containerdImages() {
        return EngineFixture.ns(dev.berth.api.services.images.v1.ImagesGrpc.newBlockingStub(f.channel()));
    }

    /** Commits a new container that wrote a file as {@code reference}; the new image's record. */
    private CommitResponse commit(String reference, String label) {
        String id = f.create(null, cmd("sh", "-c", "echo " + reference + " > /made"), null);
        EngineContainersTest.run(f, id);
        return EngineFixture.ns(TransferGrpc.newBlockingStub(f.channel())).commit(CommitRequest.newBuilder()
                .setContainerId(id).setReference(reference).addChanges("LABEL prune=" + label).build());
    }

    @Test
    void imagePrune_removesADanglingImage_thenUnusedOnes_andKeepsAUsedOne() throws Exception {
        CommitResponse dangling = commit("docker.io/library/prune-dangling:1", "yes");
        String digestName = "docker.io/library/prune-dangling@" + dangling.getImage().getTarget().getDigest();
        containerdImages().create(CreateImageRequest.newBuilder().setImage(Image.newBuilder().setName(digestName)
                .setTarget(dangling.getImage().getTarget())).build());
        containerdImages().delete(DeleteImageRequest.newBuilder().setName("docker.io/library/prune-dangling:1")
                .setSync(true).build());
        commit("docker.io/library/prune-unused:1", "yes");
        commit("docker.io/library/prune-used:1", "yes");
        String user = f.containers().create(EngineFixture.request("prune-user",
                new dev.berth.model.ContainerConfig.Builder().cmd(List.of("true")), null).toBuilder()
                .setConfig(ByteString.copyFromUtf8("{\"Image\":\"prune-used:1\",\"Cmd\":[\"true\"]}")).build())
                .getId();
        assertTrue(user.matches("[0-9a-f]{64}"));

        PruneResponse first = images().prune(PruneRequest.getDefaultInstance());
        assertEquals(1, first.getDeletedCount(), first.toString());
        assertEquals("prune-dangling@" + dangling.getImage().getTarget().getDigest(),
                first.getImageDeletes(0).getUntagged());
        assertEquals(first.getDeleted(0), first.getImageDeletes(1).getDeleted());
        assertTrue(first.getSpaceReclaimed() > 0, first.toString());
        String tags = new String(images().list(dev.berth.api.services.engine.v1.ListImagesRequest
                .getDefaultInstance()).getJson().toByteArray(), StandardCharsets.UTF_8);
        assertFalse(tags.contains("prune-dangling"), tags);
        assertTrue(tags.contains("prune-unused:1"), "dangling only by default: " + tags);

        PruneResponse all = images().prune(PruneRequest.newBuilder()
                .putFilters("dangling", FilterValues.newBuilder().addValues("false").build())
                .putFilters("label", FilterValues.newBuilder().addValues("prune=yes").build()).build());
        assertEquals(1, all.getDeletedCount(), all.toString());
        assertEquals("prune-unused:1", all.getImageDeletes(0).getUntagged());
        String left = new String(images().list(dev.berth.api.services.engine.v1.ListImagesRequest
                .getDefaultInstance()).getJson().toByteArray(), StandardCharsets.UTF_8);
        assertTrue(left.contains("prune-used:1") && left.contains("busybox"), "used images stay: " + left);
    }
}
