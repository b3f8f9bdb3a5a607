package dev.berth.runtime.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.runtime.cgroup.v1.CgroupV1;
import dev.berth.runtime.spec.LinuxResources;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * net_cls and net_prio on a v1 hierarchy faked in a temp directory (this machine mounts neither), checked by the
 * writes the kernel would see: net_prio takes one interface per write. Also the directories a create makes.
 */
class CgroupV1NetworkTest {
    @TempDir
    Path mount;

    /** Directories made in the temp directory; writes only recorded, in order (the kernel's files are not there). */
    private static final class RecordingFs implements CgroupFs {
        private final CgroupFs host = CgroupFs.host();
        final List<String> writes = new ArrayList<>();
        final List<Path> mkdirs = new ArrayList<>();

        @Override
        public String read(Path file) {
            return host.read(file);
        }

        @Override
        public void write(Path file, String value) {
            writes.add(file.getFileName() + "=" + value);
        }

        @Override
        public boolean exists(Path path) {
            return host.exists(path);
        }

        @Override
        public void mkdir(Path dir) {
            mkdirs.add(dir);
            host.mkdir(dir);
        }

        @Override
        public void rmdir(Path dir) {
            host.rmdir(dir);
        }

        @Override
        public List<Path> subdirectories(Path dir) {
            return host.subdirectories(dir);
        }

        @Override
        public List<String> fileNames(Path dir) {
            return host.fileNames(dir);
        }
    }

    @Test
    void set_network_writesClassIdAndOnePriorityPerWrite() {
        RecordingFs fs = new RecordingFs();
        Hierarchy h = new Hierarchy(mount, "net_cls,net_prio", mount.resolve("c1"));
        new CgroupV1(List.of(h), fs).set(CgroupV2Test.network(new LinuxResources.Network(0x100001L, List.of(
                new LinuxResources.InterfacePriority("lo", 3), new LinuxResources.InterfacePriority("eth0", 7)))));
        assertEquals(List.of("net_cls.classid=1048577", "net_prio.ifpriomap=lo 3", "net_prio.ifpriomap=eth0 7"),
                fs.writes);
    }

    /** A container's create applies and then sets; the second made every directory again (9 mkdirs on v1). */
    @Test
    void applyThenSet_makesTheDirectoriesOnce_andAgainAfterDestroy() {
        RecordingFs fs = new RecordingFs();
        Hierarchy h = new Hierarchy(mount, "net_cls,net_prio", mount.resolve("ns/c1"));
        CgroupV1 cgroup = new CgroupV1(List.of(h), fs);
        cgroup.apply(1);
        cgroup.set(LinuxResources.EMPTY);
        assertEquals(List.of(mount.resolve("ns"), mount.resolve("ns/c1")), fs.mkdirs);
        cgroup.destroy();
        cgroup.set(LinuxResources.EMPTY);
        assertEquals(List.of(mount.resolve("ns"), mount.resolve("ns/c1"), mount.resolve("ns"), mount.resolve("ns/c1")),
                fs.mkdirs);
    }

    @Test
    void joinFiles_areTheTasksFilesOfEveryHierarchy() {
        Hierarchy a = new Hierarchy(mount, "cpu,cpuacct", mount.resolve("cpu/ns/c1"));
        Hierarchy b = new Hierarchy(mount, "name=systemd", mount.resolve("systemd/ns/c1"));
        assertEquals(List.of(mount.resolve("cpu/ns/c1/tasks"), mount.resolve("systemd/ns/c1/tasks")),
                new CgroupV1(List.of(a, b), new RecordingFs()).joinFiles());
    }

    @Test
    void set_noNetwork_writesNothing() {
        RecordingFs fs = new RecordingFs();
        Hierarchy h = new Hierarchy(mount, "net_cls,net_prio", mount.resolve("c1"));
        new CgroupV1(List.of(h), fs).set(LinuxResources.EMPTY);
        assertEquals(List.of(), fs.writes);
    }
}
