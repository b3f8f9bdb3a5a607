package dev.berth.shim.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import dev.berth.api.cgroups.v1.BlkIOEntry;
import dev.berth.api.cgroups.v1.MemoryStat;
import dev.berth.runtime.spec.Json;
import dev.berth.runtime.spec.JsonObject;
import dev.berth.shim.engine.EngineException;
import dev.berth.shim.engine.Stats;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsFormatTest {

    /** The {@code data} object of a recorded {@code events --stats} line. */
    private static Stats recorded(String name) throws IOException {
        try (InputStream in = MetricsFormatTest.class.getResourceAsStream(name)) {
            String line = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            return new Stats(Json.write(JsonObject.parse(line).object("data").raw()));
        }
    }

    private static dev.berth.api.cgroups.v1.Metrics v1(Stats stats) throws IOException {
        Any any = MetricsFormat.CGROUP_V1.toAny("c1", stats);
        assertEquals("io.containerd.cgroups.v1.Metrics", any.getTypeUrl());
        return dev.berth.api.cgroups.v1.Metrics.parseFrom(any.getValue());
    }

    @Test
    void toAny_berthRuntimeStatsV1() throws IOException {
        var m = v1(recorded("berth-events-stats-v1.json"));
        assertEquals(2, m.getPids().getCurrent());
        assertEquals(50, m.getPids().getLimit());
        assertEquals(36690126, m.getCpu().getUsage().getTotal());
        assertEquals(List.of(9750775L, 26939351L), m.getCpu().getUsage().getPerCpuList());
        assertEquals(30000000, m.getCpu().getUsage().getUser());
        MemoryStat mem = m.getMemory();
        assertEquals(10612736, mem.getUsage().getUsage());
        assertEquals(67108864, mem.getUsage().getLimit());
        assertEquals(10997760, mem.getUsage().getMax());
        assertEquals(9223372036854771712L, mem.getSwap().getLimit());
        assertEquals(507904, mem.getKernel().getUsage());
        assertEquals(9223372036854771712L, mem.getKernelTcp().getLimit());
        assertEquals(10002432, mem.getCache());
        assertEquals(102400, mem.getRss());
        assertEquals(3002, mem.getPgPgIn());
        assertEquals(1025, mem.getPgFault());
        assertEquals(10096640, mem.getTotalInactiveAnon());
        assertEquals(67108864, mem.getHierarchicalMemoryLimit());
        assertEquals(9223372036854771712L, mem.getHierarchicalSwapLimit());
    }

    @Test
    void toAny_runcStatsV1() throws IOException {
        var m = v1(recorded("runc-events-stats-v1.json"));
        assertEquals(1, m.getPids().getCurrent());
        assertEquals(50, m.getPids().getLimit());
        assertEquals(5599232, m.getMemory().getUsage().getUsage());
        assertEquals(5001216, m.getMemory().getTotalCache());
        assertEquals(488, m.getMemory().getTotalPgPgOut());
        assertEquals(860, m.getMemory().getPgFault());
        assertEquals(2, m.getCpu().getUsage().getPerCpuCount());
    }

    @Test
    void toAny_blkioAndHugetlbV1() throws IOException {
        var m = v1(new Stats("""
                {"blkio":{"ioServiceBytesRecursive":[{"major":8,"minor":0,"op":"Read","value":4096},
                 {"major":8,"op":"Write"}],"ioServicedRecursive":[{"major":8,"minor":0,"op":"Total","value":3}],
                 "sectorsRecursive":[{"major":8,"minor":16,"op":"","value":12}]},
                 "hugetlb":{"2MB":{"usage":2097152,"max":4194304,"failcnt":1},"1GB":{"failcnt":0}},
                 "cpu":{"throttling":{"periods":10,"throttledPeriods":2,"throttledTime":300}}}"""));
        assertEquals(List.of(BlkIOEntry.newBuilder().setMajor(8).setOp("Read").setValue(4096).build(),
                BlkIOEntry.newBuilder().setMajor(8).setOp("Write").build()),
                m.getBlkio().getIoServiceBytesRecursiveList());
        assertEquals(3, m.getBlkio().getIoServicedRecursive(0).getValue());
        assertEquals(16, m.getBlkio().getSectorsRecursive(0).getMinor());
        assertEquals(2, m.getHugetlbCount());
        assertEquals("2MB", m.getHugetlb(1).getPagesize());
        assertEquals(4194304, m.getHugetlb(1).getMax());
        assertEquals(1, m.getHugetlb(1).getFailcnt());
        assertEquals(2, m.getCpu().getThrottling().getThrottledPeriods());
        assertEquals(300, m.getCpu().getThrottling().getThrottledTime());
    }

    @Test
    void toAny_v2UndoesRuncUnits() throws IOException {
        Any any = MetricsFormat.CGROUP_V2.toAny("c2", new Stats("""
                {"cpu":{"usage":{"total":5000000,"kernel":1000000,"user":4000000},
                 "throttling":{"periods":7,"throttledPeriods":1,"throttledTime":2000}},
                 "memory":{"usage":{"limit":18446744073709551615,"usage":1048576},
                  "swap":{"limit":18446744073709551615,"usage":1052672},
                  "raw":{"anon":65536,"file":8192,"pgfault":12,"workingset_refault_anon":0}},
                 "pids":{"current":3},
                 "blkio":{"ioServiceBytesRecursive":[{"major":8,"op":"read","value":10},
                  {"major":8,"op":"write","value":20},{"major":253,"minor":1,"op":"read","value":5}],
                  "ioServicedRecursive":[{"major":8,"op":"read","value":1},{"major":8,"op":"write","value":2}]},
                 "hugetlb":{"2MB":{"usage":2097152,"max":2097152}}}"""));
        assertEquals("io.containerd.cgroups.v2.Metrics", any.getTypeUrl());
        var m = dev.berth.api.cgroups.v2.Metrics.parseFrom(any.getValue());
        assertEquals(5000, m.getCpu().getUsageUsec());
        assertEquals(1000, m.getCpu().getSystemUsec());
        assertEquals(4000, m.getCpu().getUserUsec());
        assertEquals(2, m.getCpu().getThrottledUsec());
        assertEquals(1048576, m.getMemory().getUsage());
        assertEquals(-1L, m.getMemory().getUsageLimit());
        assertEquals(4096, m.getMemory().getSwapUsage());
        assertEquals(65536, m.getMemory().getAnon());
        assertEquals(12, m.getMemory().getPgfault());
        assertEquals(3, m.getPids().getCurrent());
        assertEquals(2, m.getIo().getUsageCount());
        var sda = m.getIo().getUsage(1);
        assertEquals(8, sda.getMajor());
        assertEquals(10, sda.getRbytes());
        assertEquals(20, sda.getWbytes());
        assertEquals(1, sda.getRios());
        assertEquals(2, sda.getWios());
        assertEquals(2097152, m.getHugetlb(0).getCurrent());
    }

    @Test
    void statKey_namesTheKernelsKeys() {
        assertEquals("pgpgin", CgroupV1Metrics.statKey("pg_pg_in"));
        assertEquals("total_pgpgout", CgroupV1Metrics.statKey("total_pg_pg_out"));
        assertEquals("total_pgmajfault", CgroupV1Metrics.statKey("total_pg_maj_fault"));
        assertEquals("pgfault", CgroupV1Metrics.statKey("pg_fault"));
        assertEquals("hierarchical_memsw_limit", CgroupV1Metrics.statKey("hierarchical_swap_limit"));
        assertEquals("rss_huge", CgroupV1Metrics.statKey("rss_huge"));
    }

    @Test
    void toAny_notStatsJson_internal() {
        EngineException e = assertThrows(EngineException.class,
                () -> MetricsFormat.CGROUP_V1.toAny("c3", new Stats("{\"pids\":[1]}")));
        assertEquals(EngineException.Kind.INTERNAL, e.kind());
        assertTrue(e.getMessage().startsWith("stats c3: "), e.getMessage());
    }

    @Test
    void detect_unifiedRootIsV2(@TempDir Path root) throws IOException {
        assertEquals(MetricsFormat.CGROUP_V1, MetricsFormat.detect(root));
        Files.writeString(root.resolve("cgroup.controllers"), "cpu memory pids\n");
        assertEquals(MetricsFormat.CGROUP_V2, MetricsFormat.detect(root));
    }
}
