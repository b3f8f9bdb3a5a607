package dev.berth.runtime.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.runtime.cgroup.v1.CgroupV1;
import dev.berth.runtime.spec.LinuxResources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract on this machine's real cgroup v1 hierarchies, in a cgroup {@code /berth-test-<random>} of its own;
 * the only process ever moved in is a {@code sleep} child this test started.
 */
class CgroupV1Test extends CgroupContract {
    private final List<Process> children = new ArrayList<>();

    @BeforeAll
    static void requireCgroupV1AsRoot() {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
        assumeTrue(Files.exists(Path.of("/sys/fs/cgroup/memory/memory.stat")), "needs a cgroup v1 memory hierarchy");
    }

    @Override
    protected Cgroup newCgroup() {
        String name = "/berth-test-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        return Cgroups.open(name, "unused");
    }

    @Override
    protected CgroupHost host() {
        return CgroupHost.system();
    }

    @Override
    protected long startProcess() {
        try {
            Process p = new ProcessBuilder("sleep", "600").start();
            children.add(p);
            return p.pid();
        } catch (IOException e) {
            throw new AssertionError("start sleep", e);
        }
    }

    /** A frozen v1 task does not die until thawed, so thaw first; then kill by pid and reap. */
    @Override
    protected void stopProcesses() {
        if (cgroup != null && cgroup.hierarchies().stream().anyMatch(h -> h.has("freezer")
                && Files.exists(h.path().resolve("freezer.state")))) {
            cgroup.thaw();
        }
        for (Process p : children) {
            p.destroyForcibly();
            try {
                assertTrue(p.waitFor(10, TimeUnit.SECONDS), "sleep " + p.pid() + " did not exit");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + p.pid(), e);
            }
        }
        children.clear();
    }

    @Override
    protected String memoryLimitFile() {
        return "memory.limit_in_bytes";
    }

    @Override
    protected Map.Entry<String, String> cpuQuotaFileAndContent() {
        return Map.entry("cpu.cfs_quota_us", "50000");
    }

    @Override
    protected Map.Entry<LinuxResources, String> invalidResourcesAndFile() {
        return Map.entry(new LinuxResources(null, null,
                new LinuxResources.Cpu(null, null, null, null, null, null, "9999", null, null), null, null, null, null),
                "cpuset.cpus");
    }

    static LinuxResources memoryAndSwap(long limit, long swap) {
        return new LinuxResources(null, new LinuxResources.Memory(limit, null, swap, null, null, null, null, null,
                null), null, null, null, null, null);
    }

    @Test
    void open_hybridMachine_isV1WithEveryHierarchy() {
        cgroup = newCgroup();
        assertInstanceOf(CgroupV1.class, cgroup);
        assertTrue(cgroup.hierarchies().stream().anyMatch(h -> h.has("memory")));
        assertTrue(cgroup.hierarchies().stream().noneMatch(h -> h.controllers().isEmpty()));
    }

    @Test
    void set_memoryAndSwap_writesInWorkingOrder() {
        cgroup = newCgroup();
        cgroup.set(memoryAndSwap(64 * MIB, 128 * MIB));
        assertEquals(Long.toString(128 * MIB), read("memory", "memory.memsw.limit_in_bytes"));

        // raising both: memsw must go first, else the new limit exceeds the old memsw
        cgroup.set(memoryAndSwap(512 * MIB, 1024 * MIB));
        assertEquals(Long.toString(512 * MIB), read("memory", "memory.limit_in_bytes"));
        assertEquals(Long.toString(1024 * MIB), read("memory", "memory.memsw.limit_in_bytes"));

        // lowering both: the limit must go first, else memsw falls below the old limit
        cgroup.set(memoryAndSwap(32 * MIB, 32 * MIB));
        assertEquals(Long.toString(32 * MIB), read("memory", "memory.limit_in_bytes"));
        assertEquals(Long.toString(32 * MIB), read("memory", "memory.memsw.limit_in_bytes"));

        cgroup.set(memoryAndSwap(-1, 0)); // unlimited memory, swap not given: unlimited memsw too
        assertEquals(read("memory", "memory.limit_in_bytes"), read("memory", "memory.memsw.limit_in_bytes"));
    }

    @Test
    void set_memoryOthers_written() {
        cgroup = newCgroup();
        cgroup.set(new LinuxResources(null, new LinuxResources.Memory(64 * MIB, 16 * MIB, null, 8 * MIB, null, 10L,
                true, null, null), null, null, null, null, null));
        assertEquals(Long.toString(16 * MIB), read("memory", "memory.soft_limit_in_bytes"));
        assertEquals("10", read("memory", "memory.swappiness"));
        assertTrue(read("memory", "memory.oom_control").contains("oom_kill_disable 1"));

        CgroupException e = assertThrows(CgroupException.class, () -> cgroup.set(new LinuxResources(null,
                new LinuxResources.Memory(null, null, null, null, null, 101L, null, null, null), null, null, null,
                null, null)));
        assertTrue(e.getMessage().contains("memory.swappiness: invalid memory swappiness 101"), e.getMessage());
    }

    @Test
    void apply_cpusetInheritsFromParent_thenSetOverrides() throws IOException {
        cgroup = newCgroup();
        cgroup.apply(startProcess());
        Path root = cgroup.hierarchies().stream().filter(h -> h.has("cpuset")).findFirst().orElseThrow().mountPoint();
        assertEquals(Files.readString(root.resolve("cpuset.cpus")).strip(), read("cpuset", "cpuset.cpus"));
        assertEquals(Files.readString(root.resolve("cpuset.mems")).strip(), read("cpuset", "cpuset.mems"));

        cgroup.set(new LinuxResources(null, null,
                new LinuxResources.Cpu(512L, null, null, null, null, null, "0", "0", null), null, null, null, null));
        assertEquals("0", read("cpuset", "cpuset.cpus"));
        assertEquals("512", read("cpu", "cpu.shares"));
    }

    @Test
    void set_cpuShares_outOfRange_reportsKernelBound() {
        cgroup = newCgroup();
        CgroupException e = assertThrows(CgroupException.class, () -> cgroup.set(new LinuxResources(null, null,
                new LinuxResources.Cpu(1L, null, null, null, null, null, null, null, null), null, null, null, null)));
        assertTrue(e.getMessage().endsWith("cpu.shares: the minimum allowed cpu-shares is 2"), e.getMessage());
    }

    @Test
    void set_devices_rulesInOrder() {
        cgroup = newCgroup();
        cgroup.set(new LinuxResources(List.of(
                new LinuxResources.DeviceRule(false, "a", null, null, "rwm"),
                new LinuxResources.DeviceRule(true, "c", 1L, 3L, "rwm"),
                new LinuxResources.DeviceRule(true, "c", 136L, null, "rw")), null, null, null, null, null, null));
        assertEquals("c 1:3 rwm\nc 136:* rw", read("devices", "devices.list"));
    }

    @Test
    void set_blkioThrottle_firstDisk() throws IOException {
        String disk = Files.readAllLines(Path.of("/proc/partitions")).stream().skip(2).map(String::trim)
                .filter(l -> !l.isEmpty()).findFirst().orElse(null);
        assumeTrue(disk != null, "no block device");
        String[] f = disk.split("\\s+");
        long major = Long.parseLong(f[0]);
        long minor = Long.parseLong(f[1]);
        cgroup = newCgroup();
        cgroup.set(new LinuxResources(null, null, null, null, new LinuxResources.BlockIO(null, null, null,
                List.of(new LinuxResources.ThrottleDevice(major, minor, MIB)), null, null,
                List.of(new LinuxResources.ThrottleDevice(major, minor, 100))), null, null));
        assertEquals(major + ":" + minor + " " + MIB, read("blkio", "blkio.throttle.read_bps_device"));
        assertEquals(major + ":" + minor + " 100", read("blkio", "blkio.throttle.write_iops_device"));
    }

    @Test
    void set_hugepageLimits_withoutV1Hugetlb_failsBeforeWriting() {
        cgroup = newCgroup();
        assumeTrue(cgroup.hierarchies().stream().noneMatch(h -> h.has("hugetlb")), "hugetlb is mounted as v1 here");
        CgroupException e = assertThrows(CgroupException.class, () -> cgroup.set(new LinuxResources(null,
                memory(64 * MIB).memory(), null, null, null, List.of(new LinuxResources.HugepageLimit("2MB", MIB)),
                null)));
        assertEquals("hugetlb cgroup controller is not mounted", e.getMessage());
        assertTrue(!cgroup.exists(), "nothing created");
    }

    @Test
    void set_network_withoutV1NetCls_failsBeforeWriting() {
        cgroup = newCgroup();
        assumeTrue(cgroup.hierarchies().stream().noneMatch(h -> h.has("net_cls") || h.has("net_prio")),
                "net_cls or net_prio is mounted here");
        CgroupException e = assertThrows(CgroupException.class, () -> cgroup.set(CgroupV2Test.network(
                new LinuxResources.Network(42L, List.of()))));
        assertEquals("net_cls cgroup controller is not mounted", e.getMessage());
        e = assertThrows(CgroupException.class, () -> cgroup.set(CgroupV2Test.network(new LinuxResources.Network(
                null, List.of(new LinuxResources.InterfacePriority("lo", 3))))));
        assertEquals("net_prio cgroup controller is not mounted", e.getMessage());
        assertTrue(!cgroup.exists(), "nothing created");
    }

    @Test
    void stats_cpuacctAndFreezerOfRealProcess() {
        cgroup = newCgroup();
        cgroup.apply(startProcess());
        CgroupStats s = cgroup.stats();
        assertTrue(!s.cpu().usage().percpu().isEmpty());
        assertEquals(s.cpu().usage().percpu().size(), s.cpu().usage().percpuUser().size());
        assertTrue(s.memory().raw().containsKey("cache"));
        assertEquals(0, cgroup.oomKillCount());
    }
}
