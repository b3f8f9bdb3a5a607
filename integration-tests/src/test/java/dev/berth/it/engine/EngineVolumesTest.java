package dev.berth.it.engine;

import static dev.berth.it.engine.EngineContainersTest.logs;
import static dev.berth.it.engine.EngineContainersTest.run;
import static dev.berth.it.engine.EngineFixture.cmd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.services.engine.v1.RemoveContainerRequest;
import dev.berth.api.services.engine.v1.RemoveVolumeRequest;
import dev.berth.api.services.engine.v1.StreamKind;
import dev.berth.api.services.engine.v1.VolumeRef;
import dev.berth.api.services.engine.v1.VolumesGrpc;
import dev.berth.model.HostConfig;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Volumes with real containers: data outlives a container and berthd, copy-up from the image, in use, rm -v. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EngineVolumesTest {
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

    private VolumesGrpc.VolumesBlockingStub volumes() {
        return EngineFixture.ns(VolumesGrpc.newBlockingStub(f.channel()));
    }

    private static HostConfig binds(String... binds) {
        return HostConfig.EMPTY.toBuilder().binds(List.of(binds)).build();
    }

    private void rm(String id, boolean volumes) {
        f.containers().remove(RemoveContainerRequest.newBuilder().setId(id).setVolumes(volumes).build());
    }

    @Test
    void namedVolume_survivesRmAndARestartAndIsSeenByTheNextContainer_andCannotBeRemovedWhileUsed() throws Exception {
        String writer = f.create(null, cmd("sh", "-c", "echo kept > /data/f && id -u > /data/who"),
                binds("itdata:/data"));
        assertEquals(0, run(f, writer));
        rm(writer, true); // -v removes anonymous volumes only
        JsonNode v = EngineFixture.json(volumes().inspect(VolumeRef.newBuilder().setName("itdata").build())
                .getJson());
        assertEquals("kept\n", Files.readString(Path.of(v.path("Mountpoint").asText()).resolve("f")));
        f.reopen(); // a restart of berthd: the volume's record and data are still there
        assertEquals(v, EngineFixture.json(volumes().inspect(VolumeRef.newBuilder().setName("itdata").build())
                .getJson()));

        String reader = f.create(null, cmd("sh", "-c", "cat /data/f; grep ' /data ' /proc/self/mounts"),
                binds("itdata:/data:ro"));
        assertEquals(0, run(f, reader));
        String out = logs(f, reader, StreamKind.STDOUT);
        assertTrue(out.startsWith("kept\n"), out);
        assertTrue(out.contains(" /data ") && out.contains(" ro,"), "mounted read-only: " + out);

        StatusRuntimeException inUse = assertThrows(StatusRuntimeException.class, () -> volumes().remove(
                RemoveVolumeRequest.newBuilder().setName("itdata").build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, inUse.getStatus().getCode());
        assertEquals("remove itdata: volume is in use - [" + reader + "]", inUse.getStatus().getDescription());
        rm(reader, false);
        volumes().remove(RemoveVolumeRequest.newBuilder().setName("itdata").build());
        assertFalse(Files.exists(Path.of(v.path("Mountpoint").asText())));
    }

    @Test
    void anonymousVolume_isCopiedUpFromTheImage_andRmMinusVRemovesIt() throws Exception {
        String id = f.create(null, cmd("sh", "-c", "grep -c root /etc/passwd; echo new > /etc/added"),
                binds("/etc"));
        assertEquals(0, run(f, id));
        assertEquals("1\n", logs(f, id, StreamKind.STDOUT)); // the image's /etc/passwd, copied into the volume
        JsonNode mount = f.inspect(id).path("Mounts").get(0);
        assertEquals("volume", mount.path("Type").asText());
        assertEquals("/etc", mount.path("Destination").asText());
        String name = mount.path("Name").asText();
        Path data = Path.of(mount.path("Source").asText());
        assertEquals("new\n", Files.readString(data.resolve("added")));
        assertTrue(Files.exists(data.resolve("passwd")));
        rm(id, true);
        StatusRuntimeException gone = assertThrows(StatusRuntimeException.class, () -> volumes().inspect(
                VolumeRef.newBuilder().setName(name).build()));
        assertEquals(Status.Code.NOT_FOUND, gone.getStatus().getCode());
        assertFalse(Files.exists(data));
    }
}
