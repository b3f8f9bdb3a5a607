package dev.berth.runtime.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.runtime.spec.LinuxResources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract on a fake cgroup v2 tree in a temp directory ({@link FakeKernelFs}). */
class CgroupV2Test extends CgroupContract {
    static final String ALL = "cpuset cpu io memory hugetlb pids";
    private static final AtomicLong FAKE_PIDS = new AtomicLong(40000);

    @TempDir
    Path root;
    private final FakeKernelFs fs = new FakeKernelFs();
    private CgroupHost host;

    @BeforeEach
    void fakeHost() throws IOException {
        Path mountInfo = root.resolve("mountinfo");
        Files.writeString(mountInfo, """
                22 1 0:21 / / rw,relatime - ext4 /dev/vda rw
                30 22 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime - cgroup2 cgroup2 rw,nsdelegate
                """);
        Path procSelfCgroup = root.resolve("cgroup");
        Files.writeString(procSelfCgroup, "0::/user.slice/session-1.scope\n");
        Path mount = root.resolve("sys/fs/cgroup");
        FakeKernelFs.populate(mount, ALL);
        FakeKernelFs.populate(mount.resolve("user.slice"), "");
        host = new CgroupHost(mountInfo, procSelfCgroup, root, fs);
    }

    @Override
    protected Cgroup newCgroup() {
        return Cgroups.open("/berth/c1", "c1", host);
    }

    @Override
    protected CgroupHost host() {
        return host;
    }

    @Override
    protected long startProcess() {
        return FAKE_PIDS.incrementAndGet();
    }

    /** The fake kernel's processes "exit" by leaving cgroup.procs. */
    @Override
    protected void stopProcesses() {
        if (cgroup != null && cgroup.exists()) {
            fs.write(cgroup.hierarchies().getFirst().path().resolve("cgroup.procs"), "");
        }
    }

    @Override
    protected String memoryLimitFile() {
        return "memory.max";
    }

    @Override
    protected Map.Entry<String, String> cpuQuotaFileAndContent() {
        return Map.entry("cpu.max", "50000 100000");
    }

    @Override
    protected Map.Entry<LinuxResources, String> invalidResourcesAndFile() {
        return Map.entry(new LinuxResources(null, null, null, null, null, null, Map.of("memory.bogus", "1")),
                "memory.bogus");
    }

    private LinuxResources cpu(LinuxResources.Cpu cpu) {
        return new LinuxResources(null, null, cpu, null, null, null, null);
    }

    @Test
    void open_paths_absoluteUnderMountRelativeUnderParentOfOwn() {
        Path mount = root.resolve("sys/fs/cgroup");
        assertEquals(mount.resolve("berth/c1"), Cgroups.open("/berth/c1", "x", host).hierarchies().getFirst().path());
        assertEquals(mount.resolve("user.slice/c1"), Cgroups.open("", "c1", host).hierarchies().getFirst().path());
        assertEquals(mount.resolve("user.slice/a/b"), Cgroups.open("a/b", "c1", host).hierarchies().getFirst().path());
        assertEquals(Map.of("", mount.resolve("berth/c1").toString()), Cgroups.open("/berth/c1", "x", host).paths());
    }

    @Test
    void apply_enablesControllersInEveryAncestor() {
        cgroup = newCgroup();
        cgroup.apply(startProcess());
        Path mount = root.resolve("sys/fs/cgroup");
        assertEquals("cpu cpuset hugetlb io memory pids", fs.read(mount.resolve("cgroup.subtree_control")));
        assertEquals("cpu cpuset hugetlb io memory pids", fs.read(mount.resolve("berth/cgroup.subtree_control")));
        assertEquals("", fs.read(mount.resolve("berth/c1/cgroup.subtree_control")));
    }

    @Test
    void set_swapIsMemoryPlusSwapMinusMemory() {
        cgroup = newCgroup();
        cgroup.set(new LinuxResources(null, new LinuxResources.Memory(64 * MIB, 16 * MIB, 96 * MIB, null, null, null,
                null, null, null), null, null, null, null, null));
        assertEquals(Long.toString(32 * MIB), read("memory", "memory.swap.max"));
        assertEquals(Long.toString(16 * MIB), read("memory", "memory.low"));

        cgroup.set(new LinuxResources(null, new LinuxResources.Memory(64 * MIB, null, 64 * MIB, null, null, null,
                null, null, null), null, null, null, null, null));
        assertEquals("0", read("memory", "memory.swap.max"));

        cgroup.set(memory(-1));
        assertEquals("max", read("memory", "memory.swap.max"));
        assertEquals("max", read("memory", "memory.max"));

        CgroupException e = assertThrows(CgroupException.class, () -> cgroup.set(new LinuxResources(null,
                new LinuxResources.Memory(64 * MIB, null, 32 * MIB, null, null, null, null, null, null), null, null,
                null, null, null)));
        assertTrue(e.getMessage().contains("memory.swap.max: memory+swap limit"), e.getMessage());
    }

    @Test
    void set_cpu_weightMaxBurstIdle() {
        cgroup = newCgroup();
        cgroup.set(cpu(new LinuxResources.Cpu(1024L, -1L, 1000L, 20000L, null, null, "0-1", "0", 0L)));
        assertEquals("100", read("cpu", "cpu.weight"));
        assertEquals("max 20000", read("cpu", "cpu.max"));
        assertEquals("1000", read("cpu", "cpu.max.burst"));
        assertEquals("0", read("cpu", "cpu.idle"));
        assertEquals("0-1", read("cpuset", "cpuset.cpus"));
        assertEquals("0", read("cpuset", "cpuset.mems"));

        CgroupException e = assertThrows(CgroupException.class,
                () -> cgroup.set(cpu(new LinuxResources.Cpu(null, null, null, null, 950000L, 1000000L, null, null,
                        null))));
        assertTrue(e.getMessage().endsWith("realtime cpu limits are not supported on cgroup v2"), e.getMessage());
    }

    @Test
    void set_io_weightAndMax() {
        cgroup = newCgroup();
        cgroup.set(new LinuxResources(null, null, null, null, new LinuxResources.BlockIO(500L, null, null,
                List.of(new LinuxResources.ThrottleDevice(254, 0, MIB)), null, null, null), null, null));
        assertEquals(Long.toString(1 + (500 - 10) * 9999 / 990), read("io", "io.weight"));
        assertEquals("254:0 rbps=" + MIB, read("io", "io.max"));
    }

    @Test
    void set_hugetlbAndUnified_written() {
        cgroup = newCgroup();
        cgroup.set(new LinuxResources(null, null, null, null, null,
                List.of(new LinuxResources.HugepageLimit("2MB", 4 * MIB)), Map.of("memory.high", "123456")));
        assertEquals(Long.toString(4 * MIB), read("hugetlb", "hugetlb.2MB.max"));
        assertEquals("123456", read("memory", "memory.high"));
    }

    @Test
    void set_controllerNotAvailable_failsClearly() throws IOException {
        Files.writeString(root.resolve("sys/fs/cgroup/cgroup.controllers"), "cpu memory pids");
        cgroup = newCgroup();
        CgroupException e = assertThrows(CgroupException.class, () -> cgroup.set(new LinuxResources(null, null, null,
                null, null, List.of(new LinuxResources.HugepageLimit("2MB", MIB)), null)));
        assertTrue(e.getMessage().startsWith("hugetlb cgroup controller is not available in "), e.getMessage());
    }

    @Test
    void set_network_refusedNamingTheV1OnlyController() {
        cgroup = newCgroup();
        CgroupException e = assertThrows(CgroupException.class, () -> cgroup.set(network(new LinuxResources.Network(
                42L, List.of()))));
        assertEquals("net_cls cgroup controller is not available on cgroup v2", e.getMessage());
        e = assertThrows(CgroupException.class, () -> cgroup.set(network(new LinuxResources.Network(null,
                List.of(new LinuxResources.InterfacePriority("lo", 3))))));
        assertEquals("net_prio cgroup controller is not available on cgroup v2", e.getMessage());
        assertTrue(!cgroup.exists(), "nothing created");
    }

    static LinuxResources network(LinuxResources.Network network) {
        return new LinuxResources(null, null, null, null, null, null, null, network);
    }

    @Test
    void set_devices_defaultsAcceptedOthersRefused() {
        cgroup = newCgroup();
        cgroup.set(new LinuxResources(List.of(
                new LinuxResources.DeviceRule(false, "a", null, null, "rwm"),
                new LinuxResources.DeviceRule(true, "c", 1L, 3L, "rwm"),
                new LinuxResources.DeviceRule(true, "c", 136L, null, "rwm")), null, null, null, null, null, null));

        CgroupException e = assertThrows(CgroupException.class, () -> cgroup.set(new LinuxResources(List.of(
                new LinuxResources.DeviceRule(false, "a", null, null, "rwm"),
                new LinuxResources.DeviceRule(true, "b", 8L, 0L, "rw")), null, null, null, null, null, null)));
        assertTrue(e.getMessage().contains("eBPF device control for cgroup v2 is not implemented yet"),
                e.getMessage());
    }

    @Test
    void freeze_waitsUntilKernelReportsFrozen() throws InterruptedException {
        cgroup = newCgroup();
        cgroup.apply(startProcess());
        fs.autoFreeze = false;
        Path events = cgroup.hierarchies().getFirst().path().resolve("cgroup.events");
        Thread kernel = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            fs.write(events, "populated 1\nfrozen 1");
        });
        long start = System.nanoTime();

        cgroup.freeze();

        assertTrue(System.nanoTime() - start >= 150_000_000L, "returned before the kernel reported frozen");
        assertEquals(FreezerState.FROZEN, cgroup.freezerState());
        kernel.join();
        fs.write(events, "populated 1\nfrozen 0");
        cgroup.thaw();
    }

    @Test
    void stats_fromV2Files() {
        cgroup = newCgroup();
        cgroup.apply(startProcess());
        CgroupStats s = cgroup.stats();
        assertEquals(5_000_000, s.cpu().usage().total());
        assertEquals(3_000_000, s.cpu().usage().user());
        assertEquals(40_000, s.cpu().throttling().throttledTime());
        assertEquals(4096, s.memory().usage().usage());
        assertEquals(3, s.memory().usage().failcnt());
        assertEquals(-1, s.memory().usage().limit());
        assertEquals(2048, s.memory().cache());
        assertEquals(List.of(new CgroupStats.BlkioEntry(254, 0, "Read", 4096),
                new CgroupStats.BlkioEntry(254, 0, "Write", 8192),
                new CgroupStats.BlkioEntry(254, 0, "Discard", 0)), s.blkio().ioServiceBytesRecursive());
        assertEquals(Map.of("2MB", new CgroupStats.Hugetlb(0, 0, 0)), s.hugetlb());
        assertEquals(1, cgroup.oomKillCount());
        @SuppressWarnings("unchecked")
        Map<String, Object> usage = (Map<String, Object>) ((Map<String, Object>) s.toJson().get("memory")).get("usage");
        assertEquals(new java.math.BigInteger("18446744073709551615"), usage.get("limit"));
    }

    @Test
    void destroy_busyCgroup_failsAfterRetries() {
        cgroup = newCgroup();
        cgroup.apply(startProcess());
        CgroupException e = assertThrows(CgroupException.class, () -> cgroup.destroy());
        assertTrue(e.getMessage().startsWith("rmdir ") && e.getMessage().endsWith(": device or resource busy"),
                e.getMessage());
    }
}
