package dev.berth.manager.engine.volume;

import static dev.berth.manager.engine.volume.VolumesTest.assertKind;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.errdefs.ErrorKind;
import dev.berth.model.ContainerConfig;
import dev.berth.model.HostConfig;
import dev.berth.model.Volume;
import dev.berth.model.VolumeCreateOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The in-use rule, prune, list filters, rm -v and recovery after a restart. */
class VolumesInUseTest extends VolumeTestBase {
    List<String> names(Map<String, List<String>> filters) throws IOException {
        return volumes.list("default", filters).stream().map(Volume::name).toList();
    }

    @Test
    void remove_refusesAVolumeInUseWithDockersWordingEvenWithForce() throws IOException {
        volumes.create("default", VolumeCreateOptions.named("data", null));
        f.use("data", "c1");
        f.use("data", "c2");
        assertKind(ErrorKind.FAILED_PRECONDITION, "remove data: volume is in use - [c1, c2]",
                () -> volumes.remove("default", "data", false));
        assertKind(ErrorKind.FAILED_PRECONDITION, "remove data: volume is in use - [c1, c2]",
                () -> volumes.remove("default", "data", true));
        assertTrue(Files.isDirectory(f.volumesRoot.resolve("default/data/_data")));
    }

    @Test
    void remove_refusesAVolumeAContainerBeingCreatedResolved() throws IOException {
        volumes.resolve("default", "creating", ContainerConfig.EMPTY,
                HostConfig.EMPTY.toBuilder().binds(List.of("data:/d")).build(), f.rootfs, f.volumesFrom());
        assertKind(ErrorKind.FAILED_PRECONDITION, "remove data: volume is in use - [creating]",
                () -> volumes.remove("default", "data", false));
        volumes.release("default", "creating", List.of(), false);
        volumes.remove("default", "data", false);
    }

    @Test
    void prune_removesEveryUnusedVolumeAndCountsTheBytes() throws IOException {
        Volume used = volumes.create("default", VolumeCreateOptions.named("used", null));
        Volume named = volumes.create("default", VolumeCreateOptions.named("named", Map.of("keep", "no")));
        Volume kept = volumes.create("default", VolumeCreateOptions.named("kept", Map.of("keep", "yes")));
        f.use("used", "c1");
        Files.write(Path.of(named.mountpoint()).resolve("a"), new byte[1000]);
        Path hard = Path.of(named.mountpoint()).resolve("b");
        Files.write(hard, new byte[500]);
        Files.createLink(Path.of(named.mountpoint()).resolve("c"), hard); // counted once
        Files.write(Path.of(kept.mountpoint()).resolve("a"), new byte[7]);
        Files.write(Path.of(used.mountpoint()).resolve("a"), new byte[7]);
        List<ContainerMount> anon = volumes.resolve("default", "c9", ContainerConfig.EMPTY,
                HostConfig.EMPTY.toBuilder().binds(List.of("/anon")).build(), f.rootfs, f.volumesFrom());
        volumes.release("default", "c9", anon, false);

        Volumes.PruneReport none = volumes.prune("default", Map.of("label", List.of("nothing-has-this")));
        assertEquals(List.of(), none.deleted());
        Volumes.PruneReport r = volumes.prune("default", Map.of("label!", List.of("keep=yes")));
        assertEquals(List.of("named", anon.getFirst().name()), r.deleted());
        assertEquals(1500, r.spaceReclaimed());
        assertEquals(List.of("used", "kept"), names(Map.of()));
        assertFalse(Files.exists(Path.of(named.mountpoint())));
        assertKind(ErrorKind.INVALID_ARGUMENT, "invalid filter 'dangling'",
                () -> volumes.prune("default", Map.of("dangling", List.of("true"))));
    }

    @Test
    void usage_countsBytesAndUsers() throws IOException {
        Volume v = volumes.create("default", VolumeCreateOptions.named("data", null));
        Files.write(Path.of(v.mountpoint()).resolve("a"), new byte[321]);
        f.use("data", "c1");
        f.use("data", "c2");
        Volume u = volumes.usage("default").getFirst();
        assertEquals(new Volume.UsageData(321, 2), u.usageData());
        assertEquals(v.mountpoint(), u.mountpoint());
    }

    @Test
    void list_filtersByNameLabelDanglingAndDriver() throws IOException {
        volumes.create("default", VolumeCreateOptions.named("web-data", Map.of("app", "web", "tier", "front")));
        volumes.create("default", VolumeCreateOptions.named("db-data", Map.of("app", "db")));
        volumes.create("default", VolumeCreateOptions.named("cache", null));
        f.use("db-data", "c1");
        assertEquals(List.of("web-data", "db-data"), names(Map.of("name", List.of("data"))));
        assertEquals(List.of("web-data", "cache"), names(Map.of("name", List.of("^web", "che$"))));
        assertEquals(List.of("web-data", "db-data"), names(Map.of("label", List.of("app"))));
        assertEquals(List.of("web-data"), names(Map.of("label", List.of("app=web", "tier"))));
        assertEquals(List.of(), names(Map.of("label", List.of("app=web", "tier=back"))));
        assertEquals(List.of("web-data", "cache"), names(Map.of("dangling", List.of("true"))));
        assertEquals(List.of("db-data"), names(Map.of("dangling", List.of("0"))));
        assertEquals(List.of("web-data", "db-data", "cache"), names(Map.of("driver", List.of("local"))));
        assertEquals(List.of(), names(Map.of("driver", List.of("nfs"))));
        assertKind(ErrorKind.INVALID_ARGUMENT, "invalid filter 'dangling=maybe'",
                () -> names(Map.of("dangling", List.of("maybe"))));
        assertKind(ErrorKind.INVALID_ARGUMENT, "invalid filter 'colour'", () -> names(Map.of("colour", List.of())));
    }

    @Test
    void release_withRemoveAnonymousDropsOnlyUnsharedAnonymousVolumes() throws IOException {
        List<ContainerMount> mounts = volumes.resolve("default", "c1", ContainerConfig.EMPTY,
                HostConfig.EMPTY.toBuilder().binds(List.of("/a1", "/a2", "named:/n")).build(), f.rootfs,
                f.volumesFrom());
        String a1 = mounts.get(0).name();
        String a2 = mounts.get(1).name();
        f.use(a1, "c1");
        f.use(a2, "c1");
        f.use(a2, "c2"); // --volumes-from c1
        f.use("named", "c1");
        volumes.release("default", "c1", mounts, true);
        assertEquals(List.of(a2, "named").stream().sorted().toList(), names(Map.of()).stream().sorted().toList());
        assertFalse(Files.exists(f.volumesRoot.resolve("default/" + a1)));
    }

    @Test
    void release_withoutRemoveAnonymousKeepsThem() throws IOException {
        List<ContainerMount> mounts = volumes.resolve("default", "c1", ContainerConfig.EMPTY,
                HostConfig.EMPTY.toBuilder().binds(List.of("/a1")).build(), f.rootfs, f.volumesFrom());
        volumes.release("default", "c1", mounts, false);
        assertEquals(1, names(Map.of()).size());
    }

    @Test
    void recover_adoptsDirectoriesWithoutRecordsAndDropsRecordsWithoutDirectories() throws IOException {
        Volume kept = volumes.create("default", VolumeCreateOptions.named("kept", Map.of("a", "b")));
        Files.writeString(Path.of(kept.mountpoint()).resolve("f"), "x");
        volumes.create("default", VolumeCreateOptions.named("lost", null));
        dev.berth.manager.fs.TreeDeleter.delete(f.volumesRoot.resolve("default/lost"));
        Path orphan = Files.createDirectories(f.volumesRoot.resolve("other/orphan/_data"));
        Files.writeString(orphan.resolve("g"), "y");
        Files.createDirectories(f.volumesRoot.resolve("default/kept/.copy-up"));
        Files.createDirectories(f.volumesRoot.resolve("default/not a volume"));

        Volumes restarted = f.open();
        Volumes.Recovery r = restarted.recover();
        assertEquals(List.of("other/orphan"), r.adopted());
        assertEquals(List.of("default/lost"), r.dropped());
        assertEquals(kept, restarted.inspect("default", "kept"));
        assertEquals("x", Files.readString(Path.of(kept.mountpoint()).resolve("f")));
        assertEquals(orphan.toString(), restarted.inspect("other", "orphan").mountpoint());
        assertKind(ErrorKind.NOT_FOUND, "get lost: no such volume", () -> restarted.inspect("default", "lost"));
        assertTrue(Files.isDirectory(f.volumesRoot.resolve("default/not a volume")));
        assertFalse(Files.exists(f.volumesRoot.resolve("default/kept/.copy-up")));
        assertEquals(new Volumes.Recovery(List.of(), List.of()), restarted.recover());
    }
}
