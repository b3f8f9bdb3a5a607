package dev.berth.manager.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.manager.diff.Mounter;
import dev.berth.manager.diff.SyscallMounter;
import dev.berth.sys.LinuxSyscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link Snapshotter} contract, after containerd's {@code core/snapshots/testsuite}: every implementation's
 * test extends this class and supplies {@link #open}. Mounts are mounted with the real kernel on directories under
 * a temp dir and unmounted in {@link #unmountAll()}, also when a test fails.
 */
public abstract class SnapshotterContract {
    @TempDir
    protected Path temp;
    protected Path root;
    protected Snapshotter snapshotter;
    private final Mounter mounter = new SyscallMounter(LinuxSyscalls.loadBuilt());
    private final java.util.Deque<Path> mounted = new java.util.ArrayDeque<>();
    private int targets;

    /** Opens the implementation under test over {@code root} (again, for the restart tests). */
    protected abstract Snapshotter open(Path root) throws IOException;

    /**
     * Returns once the removals made so far have reached the disk; a snapshotter that removes directories later
     * (a metadata layer whose garbage collection runs in the background) waits for that here.
     */
    protected void awaitRemovals() throws IOException {
    }

    @BeforeEach
    void openSnapshotter() throws IOException {
        root = temp.resolve("root");
        snapshotter = open(root);
    }

    @AfterEach
    void unmountAll() throws IOException {
        while (!mounted.isEmpty()) {
            mounter.unmount(mounted.pop());
        }
        snapshotter.close();
    }

    /** Mounts {@code mounts} on a new directory and returns it; unmounted after the test. */
    protected Path mount(List<Mount> mounts) throws IOException {
        Path target = Files.createDirectories(temp.resolve("mnt" + targets++));
        mounter.mount(mounts, target);
        mounted.push(target);
        return target;
    }

    protected void unmount(Path target) throws IOException {
        mounter.unmount(target);
        mounted.remove(target);
    }

    /** Prepares {@code key}, writes {@code files} (path → content; null content deletes), commits as {@code name}. */
    protected void commitLayer(String name, String parent, Map<String, String> files) throws IOException {
        String key = name + "-active";
        Path dir = mount(snapshotter.prepare(key, parent, Map.of()));
        for (var e : files.entrySet()) {
            Path p = dir.resolve(e.getKey());
            if (e.getValue() == null) {
                deleteTree(p);
            } else {
                Files.createDirectories(p.getParent());
                Files.writeString(p, e.getValue());
            }
        }
        unmount(dir);
        snapshotter.commit(name, key, Map.of());
    }

    static void deleteTree(Path p) throws IOException {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> children = Files.list(p)) {
                for (Path c : children.toList()) {
                    deleteTree(c);
                }
            }
        }
        Files.delete(p);
    }

    static void assertKind(ErrorKind kind, Executable call) {
        BerthException e = assertThrows(BerthException.class, call);
        assertEquals(kind, e.kind(), e.getMessage());
    }

    static void assertReadOnly(Path dir) {
        IOException e = assertThrows(IOException.class, () -> Files.writeString(dir.resolve("new-file"), "x"));
        assertTrue(e.getMessage().contains("Read-only"), e.getMessage());
    }

    @Test
    void prepare_withoutParent_isAWritableEmptyTree() throws IOException {
        Path dir = mount(snapshotter.prepare("a", "", Map.of()));
        try (Stream<Path> children = Files.list(dir)) {
            assertEquals(0, children.count());
        }
        Files.writeString(dir.resolve("hello"), "world");
        assertEquals("world", Files.readString(dir.resolve("hello")));
        SnapshotInfo info = snapshotter.stat("a");
        assertEquals(new SnapshotInfo("a", "", SnapshotKind.ACTIVE, Map.of(), info.created(), info.updated()), info);
    }

    @Test
    void commit_thenPrepare_childSeesParentFilesAndWritesOnlyItself() throws IOException {
        commitLayer("base", "", Map.of("etc/hostname", "base", "etc/os-release", "debian", "bin/sh", "sh"));
        Path child = mount(snapshotter.prepare("child", "base", Map.of()));
        assertEquals("base", Files.readString(child.resolve("etc/hostname")));
        Files.writeString(child.resolve("etc/hostname"), "child");
        Files.delete(child.resolve("bin/sh"));
        Files.writeString(child.resolve("new"), "new");
        unmount(child);

        Path view = mount(snapshotter.view("base-view", "base", Map.of()));
        assertEquals("base", Files.readString(view.resolve("etc/hostname")));
        assertTrue(Files.exists(view.resolve("bin/sh")));
        assertFalse(Files.exists(view.resolve("new")));
        assertReadOnly(view);
    }

    @Test
    void commit_ontoAParent_rebasesASnapshotPreparedWithoutOne_whereTheSnapshotterCan() throws IOException {
        commitLayer("base", "", Map.of("etc/hostname", "base", "bin/sh", "sh"));
        Path detached = mount(snapshotter.prepare("detached", "", Map.of()));
        Files.createDirectories(detached.resolve("etc"));
        Files.writeString(detached.resolve("etc/motd"), "hello");
        unmount(detached);

        if (!snapshotter.canRebase()) {
            assertKind(ErrorKind.FAILED_PRECONDITION, () -> snapshotter.commit("top", "detached", "base", Map.of()));
            assertEquals(SnapshotKind.ACTIVE, snapshotter.stat("detached").kind(), "nothing changed");
            return;
        }
        assertKind(ErrorKind.NOT_FOUND, () -> snapshotter.commit("top", "detached", "missing", Map.of()));
        snapshotter.commit("top", "detached", "base", Map.of());
        assertEquals("base", snapshotter.stat("top").parent());
        Path view = mount(snapshotter.view("top-view", "top", Map.of()));
        assertEquals("base", Files.readString(view.resolve("etc/hostname")), "the parent's files below");
        assertEquals("hello", Files.readString(view.resolve("etc/motd")), "the layer's own on top");
        assertKind(ErrorKind.FAILED_PRECONDITION, () -> snapshotter.remove("base"));
    }

    @Test
    void commit_ontoAnotherParent_thanTheOnePreparedOn_isFailedPrecondition() throws IOException {
        commitLayer("base", "", Map.of("a", "1"));
        commitLayer("other", "", Map.of("b", "2"));
        snapshotter.prepare("child", "base", Map.of());
        assertKind(ErrorKind.FAILED_PRECONDITION, () -> snapshotter.commit("x", "child", "other", Map.of()));
        snapshotter.commit("x", "child", "base", Map.of());
        assertEquals("base", snapshotter.stat("x").parent(), "its own parent named again is a plain commit");
    }

    @Test
    void chainOfThree_viewSeesEveryLayerNearestFirst() throws IOException {
        commitLayer("l1", "", Map.of("a", "1", "b", "1", "dir/x", "1"));
        commitLayer("l2", "l1", Map.of("b", "2", "c", "2"));
        Map<String, String> l3 = new java.util.HashMap<>(Map.of("c", "3"));
        l3.put("a", null);
        commitLayer("l3", "l2", l3);

        Path view = mount(snapshotter.view("v", "l3", Map.of()));
        assertFalse(Files.exists(view.resolve("a")));
        assertEquals("2", Files.readString(view.resolve("b")));
        assertEquals("3", Files.readString(view.resolve("c")));
        assertEquals("1", Files.readString(view.resolve("dir/x")));
        assertReadOnly(view);

        Path active = mount(snapshotter.prepare("top", "l3", Map.of()));
        assertEquals("3", Files.readString(active.resolve("c")));
        Files.writeString(active.resolve("dir/x"), "top");
        assertEquals("top", Files.readString(active.resolve("dir/x")));
        assertEquals("l3", snapshotter.stat("top").parent());
        assertEquals("l2", snapshotter.stat("l3").parent());
    }

    @Test
    void view_withoutParent_isEmptyAndReadOnly() throws IOException {
        Path view = mount(snapshotter.view("v", "", Map.of()));
        assertReadOnly(view);
        assertEquals(SnapshotKind.VIEW, snapshotter.stat("v").kind());
    }

    @Test
    void mounts_ofActive_areTheMountsPrepareReturned() throws IOException {
        commitLayer("base", "", Map.of("f", "x"));
        List<Mount> prepared = snapshotter.prepare("a", "base", Map.of());
        assertEquals(prepared, snapshotter.mounts("a"));
        List<Mount> viewed = snapshotter.view("v", "base", Map.of());
        assertEquals(viewed, snapshotter.mounts("v"));
    }

    @Test
    void commit_replacesTheKeyByTheName() throws IOException {
        snapshotter.prepare("a", "", Map.of("l", "1"));
        snapshotter.commit("n", "a", Map.of("c", "2"));
        assertKind(ErrorKind.NOT_FOUND, () -> snapshotter.stat("a"));
        SnapshotInfo n = snapshotter.stat("n");
        assertEquals(SnapshotKind.COMMITTED, n.kind());
        assertEquals(Map.of("c", "2"), n.labels());
        assertKind(ErrorKind.FAILED_PRECONDITION, () -> snapshotter.mounts("n"));
    }

    @Test
    void update_labels_followsTheFieldpaths() throws IOException {
        snapshotter.prepare("a", "", Map.of("keep", "1", "drop", "2"));
        SnapshotInfo before = snapshotter.stat("a");
        SnapshotInfo one = snapshotter.update("a", Map.of("new", "3"), Set.of("labels.new", "labels.drop"));
        assertEquals(Map.of("keep", "1", "new", "3"), one.labels());
        assertFalse(one.updated().isBefore(before.updated()));
        assertEquals(before.created(), one.created());
        SnapshotInfo all = snapshotter.update("a", Map.of("only", "4"), Set.of());
        assertEquals(Map.of("only", "4"), all.labels());
        SnapshotInfo labels = snapshotter.update("a", Map.of("x", "5"), Set.of("labels"));
        assertEquals(Map.of("x", "5"), labels.labels());
        assertEquals(Map.of("x", "5"), snapshotter.stat("a").labels());
        assertKind(ErrorKind.INVALID_ARGUMENT, () -> snapshotter.update("a", Map.of(), Set.of("parent")));
        assertKind(ErrorKind.NOT_FOUND, () -> snapshotter.update("missing", Map.of(), Set.of()));
    }

    @Test
    void list_returnsEverySnapshotWithItsKind() throws IOException {
        commitLayer("base", "", Map.of("f", "1"));
        snapshotter.prepare("active", "base", Map.of());
        snapshotter.view("view", "base", Map.of());
        Map<String, SnapshotKind> kinds = new java.util.TreeMap<>();
        snapshotter.list().forEach(i -> kinds.put(i.name(), i.kind()));
        assertEquals(Map.of("base", SnapshotKind.COMMITTED, "active", SnapshotKind.ACTIVE, "view", SnapshotKind.VIEW),
                kinds);
    }

    @Test
    void remove_ofParent_failsUntilItsChildrenAreGone() throws IOException {
        commitLayer("base", "", Map.of("f", "1"));
        snapshotter.prepare("child", "base", Map.of());
        snapshotter.view("view", "base", Map.of());
        assertKind(ErrorKind.FAILED_PRECONDITION, () -> snapshotter.remove("base"));
        snapshotter.remove("child");
        assertKind(ErrorKind.FAILED_PRECONDITION, () -> snapshotter.remove("base"));
        snapshotter.remove("view");
        snapshotter.remove("base");
        assertEquals(List.of(), snapshotter.list());
        assertKind(ErrorKind.NOT_FOUND, () -> snapshotter.remove("base"));
        awaitRemovals();
        try (Stream<Path> dirs = Files.list(root.resolve("snapshots"))) {
            assertEquals(0, dirs.count(), "removed snapshots leave no directory");
        }
    }

    @Test
    void errors_haveTheirKinds() throws IOException {
        snapshotter.prepare("active", "", Map.of());
        snapshotter.view("view", "", Map.of());
        commitLayer("base", "", Map.of());
        assertKind(ErrorKind.NOT_FOUND, () -> snapshotter.prepare("x", "missing", Map.of()));
        assertKind(ErrorKind.NOT_FOUND, () -> snapshotter.view("x", "missing", Map.of()));
        assertKind(ErrorKind.NOT_FOUND, () -> snapshotter.stat("missing"));
        assertKind(ErrorKind.NOT_FOUND, () -> snapshotter.mounts("missing"));
        assertKind(ErrorKind.NOT_FOUND, () -> snapshotter.usage("missing"));
        assertKind(ErrorKind.NOT_FOUND, () -> snapshotter.commit("n", "missing", Map.of()));
        assertKind(ErrorKind.ALREADY_EXISTS, () -> snapshotter.prepare("active", "", Map.of()));
        assertKind(ErrorKind.ALREADY_EXISTS, () -> snapshotter.view("base", "", Map.of()));
        assertKind(ErrorKind.ALREADY_EXISTS, () -> snapshotter.commit("base", "active", Map.of()));
        assertKind(ErrorKind.ALREADY_EXISTS, () -> snapshotter.commit("view", "active", Map.of()));
        assertKind(ErrorKind.FAILED_PRECONDITION, () -> snapshotter.commit("n", "view", Map.of()));
        assertKind(ErrorKind.FAILED_PRECONDITION, () -> snapshotter.prepare("x", "active", Map.of()));
        assertKind(ErrorKind.FAILED_PRECONDITION, () -> snapshotter.view("x", "view", Map.of()));
        assertKind(ErrorKind.INVALID_ARGUMENT, () -> snapshotter.prepare("", "", Map.of()));
        BerthException e = assertThrows(BerthException.class, () -> snapshotter.prepare("x", "missing", Map.of()));
        assertEquals("prepare x: parent missing not found", e.getMessage());
        // a failed call leaves nothing behind
        assertEquals(3, snapshotter.list().size());
    }

    @Test
    void usage_countsTheSnapshotsOwnFiles() throws IOException {
        Path dir = mount(snapshotter.prepare("a", "", Map.of()));
        Files.write(dir.resolve("f1"), new byte[1000]);
        Files.createDirectory(dir.resolve("d"));
        Files.write(dir.resolve("d/f2"), new byte[24]);
        Files.createLink(dir.resolve("d/f2-link"), dir.resolve("d/f2"));
        Usage usage = snapshotter.usage("a");
        assertEquals(1024, usage.size());
        assertEquals(4, usage.inodes(), "root, f1, d, f2 (the hard link is the same inode)");
    }

    @Test
    void reopen_sameRoot_keepsRecordsAndFiles() throws IOException {
        commitLayer("base", "", Map.of("f", "base"));
        snapshotter.prepare("active", "base", Map.of("k", "v"));
        List<Mount> mounts = snapshotter.mounts("active");
        List<SnapshotInfo> before = snapshotter.list();
        snapshotter.close();

        snapshotter = open(root);
        assertEquals(before, snapshotter.list());
        assertEquals(mounts, snapshotter.mounts("active"));
        Path dir = mount(snapshotter.mounts("active"));
        assertEquals("base", Files.readString(dir.resolve("f")));
        // a new snapshot gets its own directory, not one of the old ones
        snapshotter.prepare("another", "base", Map.of());
        assertEquals(mounts, snapshotter.mounts("active"));
        assertEquals(3, snapshotter.list().size());
    }

    @Test
    void cleanup_removesDirectoriesNoRecordNames() throws IOException {
        commitLayer("base", "", Map.of("f", "base"));
        snapshotter.prepare("active", "base", Map.of());
        snapshotter.close();
        // a crash after creating a directory, and one while writing a record
        Path orphan = Files.createDirectories(root.resolve("snapshots/4242/fs"));
        Files.writeString(orphan.resolve("junk"), "x");
        Path halfWritten = Files.writeString(root.resolve("metadata/4242.properties.tmp"), "key=");

        snapshotter = open(root);
        assertEquals(2, snapshotter.list().size());
        snapshotter.cleanup();
        assertFalse(Files.exists(orphan.getParent()));
        assertFalse(Files.exists(halfWritten));
        Path dir = mount(snapshotter.mounts("active"));
        assertEquals("base", Files.readString(dir.resolve("f")));
    }
}
