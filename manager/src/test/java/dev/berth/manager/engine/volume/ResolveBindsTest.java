package dev.berth.manager.engine.volume;

import static dev.berth.manager.engine.volume.VolumesTest.assertKind;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.errdefs.ErrorKind;
import dev.berth.model.ContainerConfig;
import dev.berth.model.HostConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResolveBindsTest extends VolumeTestBase {
    List<ContainerMount> resolve(String... binds) throws IOException {
        return f.volumes.resolve("default", "c1", ContainerConfig.EMPTY,
                HostConfig.EMPTY.toBuilder().binds(List.of(binds)).build(), f.rootfs, f.volumesFrom());
    }

    @Test
    void hostPath_isABindWithDockersDefaults() throws IOException {
        Path host = Files.createDirectories(tmp.resolve("host"));
        List<ContainerMount> m = resolve(host + ":/data", host + ":/ro:ro", host + ":/sh:rshared,z");
        assertEquals(List.of(
                new ContainerMount("bind", "", host.toString(), "/data", "", true, "rprivate", false,
                        List.of("rbind", "rprivate")),
                new ContainerMount("bind", "", host.toString(), "/ro", "ro", false, "rprivate", false,
                        List.of("rbind", "ro", "rprivate")),
                new ContainerMount("bind", "", host.toString(), "/sh", "rshared,z", true, "rshared", false,
                        List.of("rbind", "rshared"))), m);
    }

    @Test
    void missingHostPath_isCreatedForMinusV() throws IOException {
        Path host = tmp.resolve("not/yet");
        resolve(host + "/:/data/");
        assertTrue(Files.isDirectory(host));
        for (Path p : List.of(host, host.getParent())) { // every directory made, whatever the umask, as MkdirAll(0755)
            assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
        }
    }

    @Test
    void name_isANamedVolumeCreatedOnFirstUse() throws IOException {
        List<ContainerMount> m = resolve("cache:/var/cache:ro");
        Path data = f.volumesRoot.resolve("default/cache/_data");
        assertEquals(List.of(new ContainerMount("volume", "cache", data.toString(), "/var/cache", "ro", false, "",
                false, List.of("rbind", "ro", "rprivate"))), m);
        assertTrue(Files.isDirectory(data));
        assertEquals("cache", f.volumes.inspect("default", "cache").name());
        assertEquals("z", resolve("cache:/x").getFirst().mode());
    }

    @Test
    void badSpecs_areRefusedInDockersWords() {
        assertKind(ErrorKind.INVALID_ARGUMENT, "invalid volume specification: '/a:ro'", () -> resolve("/a:ro"));
        assertKind(ErrorKind.INVALID_ARGUMENT, "invalid volume specification: '/a:/b:ro:x'",
                () -> resolve("/a:/b:ro:x"));
        assertKind(ErrorKind.INVALID_ARGUMENT, "invalid mode: ro,rw", () -> resolve("/a:/b:ro,rw"));
        assertKind(ErrorKind.INVALID_ARGUMENT, "invalid mode: bogus", () -> resolve("/a:/b:bogus"));
        assertKind(ErrorKind.INVALID_ARGUMENT,
                "invalid mount config for type \"bind\": invalid mount path: 'b' mount path must be absolute",
                () -> resolve("/a:b"));
        assertKind(ErrorKind.INVALID_ARGUMENT,
                "invalid mount config for type \"volume\": invalid mount path: 'rel' mount path must be absolute",
                () -> resolve("rel"));
        assertKind(ErrorKind.INVALID_ARGUMENT,
                "invalid mount config for type \"bind\": invalid specification: destination can't be '/'",
                () -> resolve("/a:/"));
        assertKind(ErrorKind.INVALID_ARGUMENT, "invalid volume specification: ':/b'", () -> resolve(":/b"));
    }

    @Test
    void duplicateDestination_isRefusedAndCreatesNothing() throws IOException {
        assertKind(ErrorKind.INVALID_ARGUMENT, "Duplicate mount point: /data",
                () -> resolve("one:/data", "two:/data/"));
        assertEquals(List.of(), f.volumes.list("default", Map.of()));
    }
}
