package dev.berth.manager.engine.volume;

import static dev.berth.manager.engine.volume.VolumesTest.assertKind;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.errdefs.ErrorKind;
import dev.berth.model.ContainerConfig;
import dev.berth.model.HostConfig;
import dev.berth.model.Mount;
import dev.berth.model.Volume;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** --mount, --tmpfs, anonymous and image volumes, --volumes-from and docker's precedence between them. */
class ResolveMountsTest extends VolumeTestBase {
    List<ContainerMount> resolve(ContainerConfig config, HostConfig host) throws IOException {
        return f.volumes.resolve("default", "c1", config, host, f.rootfs, f.volumesFrom());
    }

    List<ContainerMount> resolve(HostConfig host) throws IOException {
        return resolve(ContainerConfig.EMPTY, host);
    }

    static HostConfig.Builder host() {
        return HostConfig.EMPTY.toBuilder();
    }

    static ContainerConfig imageVolumes(String... paths) {
        Map<String, Map<String, Object>> v = new LinkedHashMap<>();
        for (String p : paths) {
            v.put(p, Map.of());
        }
        return ContainerConfig.EMPTY.toBuilder().volumes(v).build();
    }

    static Mount mount(String type, String source, String target) {
        return new Mount(type, source, target, null, null, null, null, null);
    }

    @Test
    void anonymousMinusV_getsAGeneratedNameAndIsMarkedAnonymous() throws IOException {
        ContainerMount m = resolve(host().binds(List.of("/scratch")).build()).getFirst();
        assertTrue(m.name().matches("[0-9a-f]{64}"), m.name());
        assertTrue(m.anonymous());
        assertEquals("volume", m.type());
        assertEquals(f.volumesRoot.resolve("default/" + m.name() + "/_data").toString(), m.source());
        assertEquals(List.of(m.name()), f.volumes.list("default", Map.of()).stream().map(Volume::name).toList());
    }

    @Test
    void imageVolume_isAnonymousUnlessSomethingElseIsMountedThere() throws IOException {
        List<ContainerMount> m = resolve(imageVolumes("/var/lib/db", "/cache"),
                host().binds(List.of("named:/cache")).build());
        assertEquals(2, m.size());
        ContainerMount cache = m.stream().filter(x -> x.destination().equals("/cache")).findFirst().orElseThrow();
        assertEquals("named", cache.name());
        assertFalse(cache.anonymous());
        ContainerMount db = m.stream().filter(x -> x.destination().equals("/var/lib/db")).findFirst().orElseThrow();
        assertTrue(db.anonymous());
        assertEquals("", db.mode());
    }

    @Test
    void mounts_ofEachType() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        List<ContainerMount> m = resolve(host().mounts(List.of(
                new Mount("bind", src.toString(), "/b", true, null, new Mount.BindOptions("rslave", null, null),
                        null, null),
                new Mount("volume", "v1", "/v", null, null, null,
                        new Mount.VolumeOptions(true, Map.of("k", "v"), null), null),
                new Mount("volume", "", "/anon", null, null, null, null, null),
                new Mount("tmpfs", null, "/t", null, null, null, null,
                        new Mount.TmpfsOptions(64L * 1024 * 1024, 01777)))).build());
        assertEquals(new ContainerMount("bind", "", src.toString(), "/b", "", false, "rslave", false,
                List.of("rbind", "ro", "rslave")), m.get(0));
        assertEquals(new ContainerMount("volume", "v1", f.volumesRoot.resolve("default/v1/_data").toString(), "/v",
                "z", true, "", false, List.of("rbind", "rprivate")), m.get(1));
        assertEquals(Map.of("k", "v"), f.volumes.inspect("default", "v1").labels());
        assertTrue(m.get(2).anonymous());
        assertEquals(new ContainerMount("tmpfs", "", "", "/t", "", true, "", false,
                List.of("noexec", "nosuid", "nodev", "rprivate", "mode=1777", "size=64m")), m.get(3));
    }

    @Test
    void bindMount_refusesAMissingSourceWhereMinusVCreatesIt() throws IOException {
        Path missing = tmp.resolve("missing");
        assertKind(ErrorKind.INVALID_ARGUMENT,
                "invalid mount config for type \"bind\": bind source path does not exist: " + missing,
                () -> resolve(host().mounts(List.of(mount("bind", missing.toString(), "/x"))).build()));
        assertFalse(Files.exists(missing));
        resolve(host().binds(List.of(missing + ":/x")).build());
        assertTrue(Files.isDirectory(missing));
        Path asked = tmp.resolve("asked");
        resolve(host().mounts(List.of(new Mount("bind", asked.toString(), "/x", null, null,
                new Mount.BindOptions(null, null, true), null, null))).build());
        assertTrue(Files.isDirectory(asked)); // CreateMountpoint (API 1.44) asks for docker's -v behaviour
    }

    @Test
    void mounts_badConfigsAreRefused() {
        assertKind(ErrorKind.INVALID_ARGUMENT, "invalid mount config for type \"bind\": field Source must not be"
                + " empty", () -> resolve(host().mounts(List.of(mount("bind", "", "/x"))).build()));
        assertKind(ErrorKind.INVALID_ARGUMENT, "invalid mount config for type \"tmpfs\": field Source must not be"
                + " specified", () -> resolve(host().mounts(List.of(mount("tmpfs", "/a", "/x"))).build()));
        assertKind(ErrorKind.INVALID_ARGUMENT, "invalid mount config for type \"volume\": invalid mount path: 'x'"
                + " mount path must be absolute", () -> resolve(host().mounts(List.of(mount("volume", "vv", "x")))
                .build()));
        assertKind(ErrorKind.INVALID_ARGUMENT, "invalid mount config for type \"npipe\": mount type unknown",
                () -> resolve(host().mounts(List.of(mount("npipe", "vv", "/x"))).build()));
        assertKind(ErrorKind.NOT_FOUND, "error looking up volume plugin nfs: plugin \"nfs\" not found",
                () -> resolve(host().volumeDriver("nfs").binds(List.of("vv:/x")).build()));
        assertKind(ErrorKind.INVALID_ARGUMENT, "tmpfs /t: invalid tmpfs option \"bogus\"",
                () -> resolve(host().tmpfs(Map.of("/t", "size=1m,bogus")).build()));
    }

    @Test
    void tmpfs_mergesDockersDefaultsWithTheUsersOptions() throws IOException {
        ContainerMount m = resolve(host().tmpfs(Map.of("/run", "size=64m,mode=1777,exec")).build()).getFirst();
        assertEquals(new ContainerMount("tmpfs", "", "", "/run", "", true, "", false,
                List.of("nosuid", "nodev", "rprivate", "size=64m", "mode=1777", "exec")), m);
        assertFalse(resolve(host().tmpfs(Map.of("/ro", "ro")).build()).getFirst().readWrite());
    }

    @Test
    void explicitDuplicates_areRefusedAcrossBindsMountsAndTmpfs() {
        assertKind(ErrorKind.INVALID_ARGUMENT, "Duplicate mount point: /x", () -> resolve(host()
                .tmpfs(Map.of("/x", "")).binds(List.of("vv:/x")).build()));
        assertKind(ErrorKind.INVALID_ARGUMENT, "Duplicate mount point: /x", () -> resolve(host()
                .binds(List.of("vv:/x")).mounts(List.of(mount("volume", "ww", "/x"))).build()));
    }

    @Test
    void volumesFrom_inheritsMountsAndAnExplicitMountReplacesOne() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        List<ContainerMount> first = f.volumes.resolve("default", "c0", imageVolumes("/anon"),
                host().binds(List.of("shared:/shared", src + ":/bind", "other:/replaced")).build(), f.rootfs,
                f.volumesFrom());
        f.containers.put("first", first);
        List<ContainerMount> m = resolve(host().volumesFrom(List.of("first:ro")).binds(List.of("mine:/replaced"))
                .build());
        assertEquals(4, m.size());
        for (ContainerMount x : m) {
            assertFalse(x.anonymous(), x.toString()); // another container's anonymous volume is not ours to remove
            if (x.destination().equals("/replaced")) {
                assertEquals("mine", x.name());
                assertTrue(x.readWrite());
            } else {
                assertFalse(x.readWrite(), x.toString());
                assertTrue(x.ociOptions().contains("ro"), x.toString());
            }
        }
        assertKind(ErrorKind.INVALID_ARGUMENT, "invalid mode: z", () -> resolve(host().volumesFrom(
                List.of("first:z")).build()));
        assertKind(ErrorKind.NOT_FOUND, "no such container: nope", () -> resolve(host().volumesFrom(
                List.of("nope")).build()));
    }

    @Test
    void mounts_areOrderedParentsFirst() throws IOException {
        List<ContainerMount> m = resolve(host().binds(List.of("aa:/x/y/z", "bb:/x", "cc:/x/y")).build());
        assertEquals(List.of("/x", "/x/y", "/x/y/z"), m.stream().map(ContainerMount::destination).toList());
    }

    @Test
    void failure_removesTheVolumesThisCallCreatedAndNothingElse() throws IOException {
        f.volumes.create("default", dev.berth.model.VolumeCreateOptions.named("before", null));
        Path src = tmp.resolve("gone");
        assertKind(ErrorKind.INVALID_ARGUMENT,
                "invalid mount config for type \"bind\": bind source path does not exist: " + src,
                () -> resolve(imageVolumes("/img"), host().binds(List.of("before:/b", "fresh:/f", "/anon"))
                        .mounts(List.of(mount("bind", src.toString(), "/z"))).build()));
        assertEquals(List.of("before"), f.volumes.list("default", Map.of()).stream().map(Volume::name).toList());
        try (var dirs = Files.list(f.volumesRoot.resolve("default"))) {
            assertEquals(List.of("before"), dirs.map(p -> p.getFileName().toString()).toList());
        }
    }
}
