package dev.berth.manager.engine.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.model.DockerJson;
import dev.berth.model.Volume;
import dev.berth.model.VolumeCreateOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VolumesTest extends VolumeTestBase {
    @Test
    void create_answersDockersVolumeAndMakesTheDataDirectory() throws IOException {
        Volume v = volumes.create("default", VolumeCreateOptions.named("data", Map.of("a", "1")));
        Path data = f.volumesRoot.resolve("default/data/_data");
        assertEquals(new Volume("data", "local", data.toString(), "2026-01-02T03:04:05Z", null, Map.of("a", "1"),
                "local", null, null), v);
        assertTrue(Files.isDirectory(data));
        assertEquals("rwxr-xr-x", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(data)));
        String json = new String(DockerJson.write(v), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"Options\":null"), json);
        assertTrue(json.contains("\"Scope\":\"local\""), json);
        assertEquals(v, volumes.inspect("default", "data"));
    }

    @Test
    void create_ofAnExistingNameAnswersTheExistingVolume() throws IOException {
        Volume first = volumes.create("default", VolumeCreateOptions.named("data", Map.of("a", "1")));
        Files.writeString(Path.of(first.mountpoint()).resolve("kept"), "x");
        assertEquals(first, volumes.create("default", VolumeCreateOptions.named("data", Map.of())));
        assertTrue(Files.exists(Path.of(first.mountpoint()).resolve("kept")));
    }

    @Test
    void create_withoutNameGeneratesSixtyFourHexDigits() throws IOException {
        Volume v = volumes.create("default", new VolumeCreateOptions(null, null, null, null));
        assertTrue(v.name().matches("[0-9a-f]{64}"), v.name());
        assertNull(v.labels());
    }

    @Test
    void create_refusesBadNamesDriversAndOptions() {
        assertKind(ErrorKind.INVALID_ARGUMENT, "create a: volume name is too short, names should be at least two"
                + " alphanumeric characters", () -> volumes.create("default", VolumeCreateOptions.named("a", null)));
        BerthException e = assertThrows(BerthException.class,
                () -> volumes.create("default", VolumeCreateOptions.named("a/b", null)));
        assertTrue(e.getMessage().startsWith("create a/b: \"a/b\" includes invalid characters for a local volume"
                + " name"), e.getMessage());
        assertKind(ErrorKind.NOT_FOUND, "create x1: error looking up volume plugin nfs: plugin \"nfs\" not found",
                () -> volumes.create("default", new VolumeCreateOptions("x1", "nfs", null, null)));
        assertThrows(BerthException.class, () -> volumes.create("default",
                new VolumeCreateOptions("x1", "local", Map.of("type", "tmpfs"), null)));
        assertFalse(Files.exists(f.volumesRoot.resolve("default/x1")));
    }

    @Test
    void inspect_ofAMissingVolumeIsNotFoundInDockersWords() {
        assertKind(ErrorKind.NOT_FOUND, "get nope: no such volume", () -> volumes.inspect("default", "nope"));
    }

    @Test
    void volumes_areKeptPerNamespace() throws IOException {
        volumes.create("a", VolumeCreateOptions.named("data", Map.of("ns", "a")));
        volumes.create("b", VolumeCreateOptions.named("data", Map.of("ns", "b")));
        assertEquals(Map.of("ns", "a"), volumes.inspect("a", "data").labels());
        assertEquals(Map.of("ns", "b"), volumes.inspect("b", "data").labels());
        volumes.remove("a", "data", false);
        assertEquals(1, volumes.list("b", Map.of()).size());
        assertTrue(Files.isDirectory(f.volumesRoot.resolve("b/data/_data")));
    }

    @Test
    void remove_deletesRecordAndData() throws IOException {
        Volume v = volumes.create("default", VolumeCreateOptions.named("data", null));
        Files.writeString(Path.of(v.mountpoint()).resolve("f"), "x");
        volumes.remove("default", "data", false);
        assertFalse(Files.exists(f.volumesRoot.resolve("default/data")));
        assertEquals(List.of(), volumes.list("default", Map.of()));
        assertKind(ErrorKind.NOT_FOUND, "get data: no such volume", () -> volumes.remove("default", "data", false));
        volumes.remove("default", "data", true); // force: a missing volume is no error
    }

    static void assertKind(ErrorKind kind, String message, org.junit.jupiter.api.function.Executable call) {
        BerthException e = assertThrows(BerthException.class, call);
        assertEquals(kind, e.kind());
        assertEquals(message, e.getMessage());
    }
}
