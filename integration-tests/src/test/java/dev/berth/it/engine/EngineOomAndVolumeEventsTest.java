package dev.berth.it.engine;

import static dev.berth.it.engine.EngineFixture.cmd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.services.engine.v1.ContainerRef;
import dev.berth.api.services.engine.v1.RemoveContainerRequest;
import dev.berth.api.services.engine.v1.RemoveVolumeRequest;
import dev.berth.api.services.engine.v1.VolumesGrpc;
import dev.berth.api.services.engine.v1.WaitContainerRequest;
import dev.berth.model.HostConfig;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * docker's {@code State.OOMKilled} and {@code oom} event for a container the kernel's OOM killer ended, and docker's
 * volume events (create, mount, unmount, destroy), with real containers and cgroups.
 */
class EngineOomAndVolumeEventsTest {
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

    @Test
    void oomKilled_whenTheMemoryLimitIsExceeded() throws Exception {
        Instant t0 = Instant.now();
        // tail of /dev/zero keeps one ever longer "line" in memory; the second run (the marker is in its rootfs) only
        // sleeps, so its end is the kill below and not a second OOM
        String id = f.create("oom", cmd("sh", "-c", "if [ -e /oom-done ]; then exec sleep 100; fi; touch /oom-done; "
                + "exec tail /dev/zero"), new HostConfig.Builder().memory(8L << 20).build());
        f.containers().start(ContainerRef.newBuilder().setId(id).build());
        int code = exitOf(id);
        JsonNode state = f.inspect(id).path("State");
        assertEquals(137, code, state.toString());
        assertEquals("exited", state.path("Status").asText());
        assertTrue(state.path("OOMKilled").asBoolean(), state.toString());
        List<String> actions = new ArrayList<>();
        for (JsonNode e : f.events(t0)) {
            if (e.path("Type").asText().equals("container") && e.path("Actor").path("ID").asText().equals(id)) {
                actions.add(e.path("Action").asText());
            }
        }
        assertTrue(actions.indexOf("oom") >= 0 && actions.indexOf("oom") < actions.indexOf("die"),
                "oom before die: " + actions);

        f.containers().start(ContainerRef.newBuilder().setId(id).build());
        f.containers().kill(dev.berth.api.services.engine.v1.KillContainerRequest.newBuilder().setId(id).build());
        exitOf(id);
        assertFalse(f.inspect(id).path("State").path("OOMKilled").asBoolean(), "a new run starts without it");
    }

    @Test
    void notOomKilled_onAPlainExit() throws Exception {
        String id = f.create("nooom", cmd("sh", "-c", "exit 3"), new HostConfig.Builder().memory(8L << 20).build());
        f.containers().start(ContainerRef.newBuilder().setId(id).build());
        assertEquals(3, exitOf(id));
        assertFalse(f.inspect(id).path("State").path("OOMKilled").asBoolean());
    }

    @Test
    void volumeEvents_createMountUnmountDestroy() throws Exception {
        Instant t0 = Instant.now();
        String id = f.create("volev", cmd("true"), new HostConfig.Builder().binds(List.of("ev1:/data:ro")).build());
        f.containers().start(ContainerRef.newBuilder().setId(id).build());
        exitOf(id);
        f.containers().remove(RemoveContainerRequest.newBuilder().setId(id).build());
        EngineFixture.ns(VolumesGrpc.newBlockingStub(f.channel())).remove(RemoveVolumeRequest.newBuilder()
                .setName("ev1").build());

        List<String> seen = new ArrayList<>();
        for (JsonNode e : f.events(t0)) {
            String type = e.path("Type").asText();
            JsonNode attrs = e.path("Actor").path("Attributes");
            if (type.equals("volume")) {
                assertEquals("ev1", e.path("Actor").path("ID").asText(), e.toString());
                assertEquals("local", attrs.path("driver").asText(), e.toString());
                String action = e.path("Action").asText();
                if (action.equals("mount")) {
                    assertEquals(id, attrs.path("container").asText(), e.toString());
                    assertEquals("/data", attrs.path("destination").asText(), e.toString());
                    assertEquals("false", attrs.path("read/write").asText(), e.toString());
                }
                if (action.equals("unmount")) {
                    assertEquals(id, attrs.path("container").asText(), e.toString());
                }
                seen.add("volume " + action);
            } else if (type.equals("container") && List.of("start", "die").contains(e.path("Action").asText())) {
                seen.add("container " + e.path("Action").asText());
            }
        }
        assertEquals(List.of("volume create", "volume mount", "container start", "container die", "volume unmount",
                "volume destroy"), seen);
    }

    /** Waits for the container to stop running; its exit code. */
    private int exitOf(String id) {
        Iterator<dev.berth.api.services.engine.v1.WaitContainerResponse> wait = f.containers().wait(
                WaitContainerRequest.newBuilder().setId(id).build());
        for (var r = wait.next(); ; r = wait.next()) {
            if (!r.getWaiting()) {
                return r.getStatusCode();
            }
        }
    }
}
