package dev.berth.runtime.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.runtime.spec.LinuxResources;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The behaviours every {@link Cgroup} implementation shows; each implementation's test extends it. */
abstract class CgroupContract {
    static final long MIB = 1024 * 1024;

    /** The cgroup under test; created by {@link #newCgroup()} in each test, destroyed after it. */
    protected Cgroup cgroup;

    /** A fresh cgroup with a unique name that does not exist yet. */
    protected abstract Cgroup newCgroup();

    /** The host the cgroup was opened on, for {@link Cgroups#load}. */
    protected abstract CgroupHost host();

    /** A process the test may move into the cgroup (a real child or, on a fake tree, a made-up pid). */
    protected abstract long startProcess();

    /** Ends every process {@link #startProcess()} started; the cgroup may be frozen. */
    protected abstract void stopProcesses();

    /** The file holding the memory limit: {@code memory.limit_in_bytes} or {@code memory.max}. */
    protected abstract String memoryLimitFile();

    /** The file and expected content for a CFS quota of 50000 per 100000 µs. */
    protected abstract Map.Entry<String, String> cpuQuotaFileAndContent();

    /** Resources the implementation must refuse, and the file the error must name. */
    protected abstract Map.Entry<LinuxResources, String> invalidResourcesAndFile();

    @AfterEach
    void destroyCgroup() {
        stopProcesses();
        if (cgroup != null) {
            cgroup.destroy();
        }
    }

    static LinuxResources memory(long limit) {
        return new LinuxResources(null, new LinuxResources.Memory(limit, null, null, null, null, null, null, null, null),
                null, null, null, null, null);
    }

    static LinuxResources pids(long limit) {
        return new LinuxResources(null, null, null, new LinuxResources.Pids(limit), null, null, null);
    }

    static LinuxResources cpuQuota(long quota, long period) {
        return new LinuxResources(null, null,
                new LinuxResources.Cpu(null, quota, null, period, null, null, null, null, null), null, null, null, null);
    }

    String read(String controller, String file) {
        return host().fs().read(dirOf(controller).resolve(file));
    }

    Path dirOf(String controller) {
        return cgroup.hierarchies().stream().filter(h -> h.controllers().isEmpty() || h.has(controller))
                .findFirst().orElseThrow().path();
    }

    @Test
    void set_limits_readBack() {
        cgroup = newCgroup();
        cgroup.set(memory(64 * MIB));
        cgroup.set(pids(100));
        cgroup.set(cpuQuota(50000, 100000));

        assertEquals(Long.toString(64 * MIB), read("memory", memoryLimitFile()));
        assertEquals("100", read("pids", "pids.max"));
        var cpu = cpuQuotaFileAndContent();
        assertEquals(cpu.getValue(), read("cpu", cpu.getKey()));
    }

    @Test
    void set_update_changesOnlyGivenFields() {
        cgroup = newCgroup();
        cgroup.set(new LinuxResources(null, memory(64 * MIB).memory(), null, new LinuxResources.Pids(100), null,
                null, null));

        cgroup.set(pids(200));
        assertEquals(Long.toString(64 * MIB), read("memory", memoryLimitFile()));
        assertEquals("200", read("pids", "pids.max"));

        cgroup.set(memory(256 * MIB));
        assertEquals(Long.toString(256 * MIB), read("memory", memoryLimitFile()));
        cgroup.set(pids(-1));
        assertEquals("max", read("pids", "pids.max"));
    }

    @Test
    void apply_pidIsListed() {
        cgroup = newCgroup();
        assertFalse(cgroup.exists());
        long pid = startProcess();

        cgroup.apply(pid);

        assertTrue(cgroup.exists());
        assertEquals(List.of(pid), cgroup.pids());
    }

    @Test
    void freeze_thaw_reportsState() {
        cgroup = newCgroup();
        cgroup.apply(startProcess());
        assertEquals(FreezerState.THAWED, cgroup.freezerState());

        cgroup.freeze();
        assertEquals(FreezerState.FROZEN, cgroup.freezerState());

        cgroup.thaw();
        assertEquals(FreezerState.THAWED, cgroup.freezerState());
    }

    @Test
    void destroy_removesEveryDirectory() {
        cgroup = newCgroup();
        cgroup.apply(startProcess());
        cgroup.set(pids(10));
        stopProcesses();

        cgroup.destroy();

        assertFalse(cgroup.exists());
        for (Hierarchy h : cgroup.hierarchies()) {
            assertFalse(host().fs().exists(h.path()), h.path().toString());
            assertTrue(host().fs().exists(h.mountPoint()), h.mountPoint().toString());
        }
        cgroup.destroy(); // already gone: fine
    }

    @Test
    void stats_parseNumbers() {
        cgroup = newCgroup();
        cgroup.apply(startProcess());
        cgroup.set(new LinuxResources(null, memory(64 * MIB).memory(), null, new LinuxResources.Pids(50), null,
                null, null));

        CgroupStats stats = cgroup.stats();

        assertEquals(64 * MIB, stats.memory().usage().limit());
        assertEquals(50, stats.pids().limit());
        assertTrue(stats.pids().current() >= 1, "pids.current " + stats.pids().current());
        assertTrue(stats.cpu().usage().total() >= 0);
        assertTrue(cgroup.oomKillCount() >= 0);
        Map<String, Object> json = stats.toJson();
        assertEquals(List.of("cpu", "memory", "pids", "blkio", "hugetlb", "intel_rdt"), List.copyOf(json.keySet()));
        @SuppressWarnings("unchecked")
        Map<String, Object> usage = (Map<String, Object>) ((Map<String, Object>) json.get("memory")).get("usage");
        assertEquals(64 * MIB, usage.get("limit"));
        @SuppressWarnings("unchecked")
        Map<String, Object> pids = (Map<String, Object>) json.get("pids");
        assertEquals(50L, pids.get("limit"));
    }

    @Test
    void set_invalid_errorNamesFile() {
        cgroup = newCgroup();
        var invalid = invalidResourcesAndFile();

        CgroupException e = assertThrows(CgroupException.class, () -> cgroup.set(invalid.getKey()));

        String file = dirOf(invalid.getValue().substring(0, invalid.getValue().indexOf('.')))
                .resolve(invalid.getValue()).toString();
        assertTrue(e.getMessage().startsWith("write " + file + ": "), e.getMessage());
        assertFalse(e.getMessage().endsWith("."), e.getMessage());
        assertEquals(e.getMessage().substring(e.getMessage().lastIndexOf(": ")),
                e.getMessage().substring(e.getMessage().lastIndexOf(": ")).toLowerCase(java.util.Locale.ROOT));
    }

    @Test
    void paths_load_reopensSameCgroup() {
        cgroup = newCgroup();
        cgroup.apply(startProcess());

        Cgroup loaded = Cgroups.load(cgroup.paths(), host());

        assertEquals(cgroup.hierarchies(), loaded.hierarchies());
        assertEquals(cgroup.pids(), loaded.pids());
    }
}
