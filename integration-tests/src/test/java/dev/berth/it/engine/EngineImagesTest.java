package dev.berth.it.engine;

import static dev.berth.it.engine.EngineFixture.cmd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.services.engine.v1.ContainerRef;
import dev.berth.api.services.engine.v1.ImageRef;
import dev.berth.api.services.engine.v1.ImagesGrpc;
import dev.berth.api.services.engine.v1.ListImagesRequest;
import dev.berth.api.services.engine.v1.PruneRequest;
import dev.berth.api.services.engine.v1.RemoveImageRequest;
import dev.berth.api.services.engine.v1.TagImageRequest;
import dev.berth.api.services.engine.v1.TopRequest;
import dev.berth.api.services.engine.v1.TopResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** docker's image operations and the in-use rule of rmi, info, top and container prune, with real containers. */
class EngineImagesTest {
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

    private ImagesGrpc.ImagesBlockingStub images() {
        return EngineFixture.ns(ImagesGrpc.newBlockingStub(f.channel()));
    }

    private JsonNode rmi(String name, boolean force) throws IOException {
        return EngineFixture.json(images().remove(RemoveImageRequest.newBuilder().setName(name).setForce(force)
                .build()).getJson());
    }

    @Test
    void rmi_untagsDeletesAndRefusesAnImageInUse() throws Exception {
        JsonNode list = EngineFixture.json(images().list(ListImagesRequest.getDefaultInstance()).getJson());
        assertEquals(1, list.size(), list.toString());
        assertEquals("busybox:latest", list.get(0).path("RepoTags").get(0).asText());
        String id = list.get(0).path("Id").asText();
        assertEquals(id, EngineFixture.json(images().inspect(ImageRef.newBuilder().setName("busybox").build())
                .getJson()).path("Id").asText());

        images().tag(TagImageRequest.newBuilder().setSource("busybox").setTarget("mybox:1").build());
        assertEquals("[{\"Untagged\":\"mybox:1\"}]", rmi("mybox:1", false).toString(), "another name remains");

        String c = f.create("user", cmd("sleep", "60"), null);
        StatusRuntimeException inUse = assertThrows(StatusRuntimeException.class, () -> rmi("busybox", false));
        assertEquals(Status.Code.FAILED_PRECONDITION, inUse.getStatus().getCode());
        assertEquals("conflict: unable to remove repository reference \"busybox\" (must force) - container "
                + c.substring(0, 12) + " is using its referenced image " + id.substring(7, 19),
                inUse.getStatus().getDescription());

        f.containers().start(ContainerRef.newBuilder().setId(c).build());
        JsonNode info = EngineFixture.json(f.system().info(dev.berth.api.services.engine.v1.Empty
                .getDefaultInstance()).getJson());
        assertEquals(1, info.path("Containers").asInt(), info.toString());
        assertEquals(1, info.path("ContainersRunning").asInt(), info.toString());
        assertEquals(1, info.path("Images").asInt(), info.toString());
        assertEquals("overlayfs", info.path("Driver").asText());
        TopResponse top = f.containers().top(TopRequest.newBuilder().setId(c).build());
        assertTrue(top.getTitlesList().contains("PID"), top.toString());
        assertEquals(1, top.getProcessesCount(), top.toString());
        assertTrue(top.getProcesses(0).getColumnsList().getLast().contains("sleep 60"), top.toString());
        StatusRuntimeException running = assertThrows(StatusRuntimeException.class, () -> rmi(id, true));
        assertTrue(running.getStatus().getDescription().contains("(cannot be forced) - image is being used by "
                + "running container " + c.substring(0, 12)), running.getMessage());

        f.containers().stop(dev.berth.api.services.engine.v1.StopContainerRequest.newBuilder().setId(c)
                .setTimeoutSeconds(0).build());
        assertEquals(List.of(c), f.containers().prune(PruneRequest.getDefaultInstance()).getDeletedList());
        JsonNode removed = rmi("busybox", false);
        assertEquals("busybox:latest", removed.get(0).path("Untagged").asText());
        assertEquals(id, removed.get(1).path("Deleted").asText());
        assertEquals(0, EngineFixture.json(images().list(ListImagesRequest.getDefaultInstance()).getJson()).size());
    }
}
