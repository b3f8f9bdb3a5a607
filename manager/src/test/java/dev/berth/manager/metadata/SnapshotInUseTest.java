package dev.berth.manager.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.errdefs.ErrorKind;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * {@code ctr snapshots rm} of a running container's rootfs is refused, and collection never takes the layers
 * under it; once the task is gone the snapshot may go first, as containerd's client removes it before the record.
 */
class SnapshotInUseTest extends MetadataFixture {

    private final Set<String> tasks = ConcurrentHashMap.newKeySet();
    private final LiveTasks live = (ns, id) -> tasks.contains(ns + "/" + id);

    @Test
    void remove_rootfsOfAContainerWithATask_isRefused_andItsLayersOutliveCollection() throws Exception {
        MetadataSnapshotter s = db.snapshotter("ns", SNAPSHOTTER, Optional.empty(), live);
        s.prepare("extract-0", "", Map.of());
        s.commit("layer0", "extract-0", Map.of());
        s.prepare("rootfs", "layer0", Map.of());
        db.containers("ns").create(ContainerRecord.builder("web").runtime(new ContainerRecord.Runtime("rt",
                AnyValue.EMPTY)).spec(new AnyValue("spec", new byte[] {1})).snapshotter(SNAPSHOTTER)
                .snapshotKey("rootfs").build());
        tasks.add("ns/web");

        var e = assertKind(ErrorKind.FAILED_PRECONDITION, () -> s.remove("rootfs"));
        assertEquals("remove snapshot rootfs: rootfs of container web, which has a task", e.getMessage());
        db.garbageCollect();
        assertEquals(List.of("layer0", "rootfs"), s.list().stream().map(i -> i.name()).toList());
        assertEquals(2, snapshots.keys().size(), "the backend keeps the mounted layers");

        tasks.remove("ns/web");
        s.remove("rootfs"); // ctr's WithSnapshotCleanup, before the container record goes
        db.containers("ns").delete("web");
        GcWait.await(db);
        assertTrue(s.list().isEmpty());
        assertTrue(snapshots.keys().isEmpty());
    }

    @Test
    void remove_snapshotOfAContainerInAnotherNamespaceOrSnapshotter_isNotConcerned() throws Exception {
        db.containers("other").create(ContainerRecord.builder("web").runtime(new ContainerRecord.Runtime("rt",
                AnyValue.EMPTY)).spec(new AnyValue("spec", new byte[] {1})).snapshotter(SNAPSHOTTER)
                .snapshotKey("rootfs").build());
        tasks.add("other/web");
        MetadataSnapshotter s = db.snapshotter("ns", SNAPSHOTTER, Optional.empty(), live);
        s.prepare("rootfs", "", Map.of());
        s.remove("rootfs");
        assertTrue(s.list().isEmpty());
    }
}
