package dev.berth.manager.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Any;
import dev.berth.api.cgroups.v1.BlkIOEntry;
import dev.berth.api.cgroups.v1.BlkIOStat;
import dev.berth.api.cgroups.v1.CPUUsage;
import dev.berth.api.cgroups.v1.MemoryEntry;
import dev.berth.api.cgroups.v1.Throttle;
import dev.berth.api.cgroups.v2.IOEntry;
import dev.berth.api.cgroups.v2.IOStat;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The stats parsers and docker's stats shape, from the kernel's and containerd's formats. */
class StatsParsersTest {
    private static final ProcStat.SystemCpu SYSTEM = new ProcStat.SystemCpu(5_000_000_000L, 2);
    private static final long HOST_MEMORY = 4L << 30;

    @Test
    void procStat_cpuLineInNanoseconds_andOnlineCpus() {
        String stat = """
                cpu  100 20 30 400 5 6 7 8 0 0
                cpu0 50 10 15 200 2 3 3 4 0 0
                cpu1 50 10 15 200 3 3 4 4 0 0
                intr 12345
                ctxt 999
                """;
        ProcStat.SystemCpu cpu = ProcStat.systemCpu(stat);
        assertEquals((100 + 20 + 30 + 400 + 5 + 6 + 7) * 10_000_000L, cpu.usageNanos(), "7 fields, USER_HZ 100");
        assertEquals(2, cpu.onlineCpus());
        assertEquals(16_000L * 1024, ProcStat.memTotal("MemTotal:       16000 kB\nMemFree: 1 kB\n"));
    }

    @Test
    void netDev_everyInterfaceButLo() {
        String dev = """
                Inter-|   Receive                                                |  Transmit
                 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                    lo:     100       1    0    0    0     0          0         0      100       1    0    0    0     0       0          0
                  eth0:    1500      12    1    2    0     0          0         3      900       9    3    4    0     0       0          0
                """;
        Map<String, NetDev.Interface> n = NetDev.parse(dev);
        assertEquals(Map.of("eth0", new NetDev.Interface(1500, 12, 1, 2, 900, 9, 3, 4)), n);
    }

    @Test
    void v1Metrics_asDockersStatsV1() {
        var memory = dev.berth.api.cgroups.v1.MemoryStat.newBuilder().setCache(4096).setRss(8192)
                .setTotalInactiveFile(1024).setPgPgIn(7).setPgMajFault(2).setHierarchicalSwapLimit(99)
                .setUsage(MemoryEntry.newBuilder().setUsage(30_000).setMax(40_000).setFailcnt(1)
                        .setLimit(9_223_372_036_854_771_712L));
        var m = dev.berth.api.cgroups.v1.Metrics.newBuilder()
                .setCpu(dev.berth.api.cgroups.v1.CPUStat.newBuilder().setUsage(CPUUsage.newBuilder().setTotal(300)
                        .setKernel(100).setUser(200).addAllPerCpu(List.of(120L, 180L)))
                        .setThrottling(Throttle.newBuilder().setPeriods(5).setThrottledPeriods(2)
                                .setThrottledTime(77)))
                .setMemory(memory)
                .setPids(dev.berth.api.cgroups.v1.PidsStat.newBuilder().setCurrent(3).setLimit(0))
                .setBlkio(BlkIOStat.newBuilder().addIoServiceBytesRecursive(BlkIOEntry.newBuilder().setMajor(8)
                        .setMinor(0).setOp("Read").setValue(4096))).build();
        Any any = Any.newBuilder().setTypeUrl("io.containerd.cgroups.v1.Metrics").setValue(m.toByteString()).build();
        StatsDocument.Sample s = StatsDocument.of(any, Instant.parse("2026-01-01T00:00:01Z"), SYSTEM, HOST_MEMORY,
                Map.of("eth0", new NetDev.Interface(1, 2, 3, 4, 5, 6, 7, 8)));
        JsonNode doc = StatsDocument.document("abc", "web", s, null);
        assertEquals("/web", doc.path("name").asText());
        assertEquals("2026-01-01T00:00:01Z", doc.path("read").asText());
        assertEquals(StatsDocument.ZERO_TIME, doc.path("preread").asText());
        JsonNode cpu = doc.path("cpu_stats");
        assertEquals(300, cpu.path("cpu_usage").path("total_usage").asLong());
        assertEquals("[120,180]", cpu.path("cpu_usage").path("percpu_usage").toString());
        assertEquals(100, cpu.path("cpu_usage").path("usage_in_kernelmode").asLong());
        assertEquals(5_000_000_000L, cpu.path("system_cpu_usage").asLong());
        assertEquals(2, cpu.path("online_cpus").asInt());
        assertEquals(77, cpu.path("throttling_data").path("throttled_time").asLong());
        JsonNode mem = doc.path("memory_stats");
        assertEquals(30_000, mem.path("usage").asLong());
        assertEquals(40_000, mem.path("max_usage").asLong());
        assertEquals(HOST_MEMORY, mem.path("limit").asLong(), "unlimited: the host's memory");
        assertEquals(4096, mem.path("stats").path("cache").asLong());
        assertEquals(1024, mem.path("stats").path("total_inactive_file").asLong());
        assertEquals(7, mem.path("stats").path("pgpgin").asLong());
        assertEquals(2, mem.path("stats").path("pgmajfault").asLong());
        assertEquals(99, mem.path("stats").path("hierarchical_memsw_limit").asLong());
        assertFalse(mem.path("stats").has("usage"), "entries are not memory.stat keys");
        assertEquals(3, doc.path("pids_stats").path("current").asInt());
        assertFalse(doc.path("pids_stats").has("limit"), "0 is left out (omitempty)");
        JsonNode io = doc.path("blkio_stats").path("io_service_bytes_recursive").get(0);
        assertEquals("Read", io.path("op").asText());
        assertEquals(4096, io.path("value").asLong());
        assertTrue(doc.path("blkio_stats").path("io_serviced_recursive").isNull());
        assertEquals(5, doc.path("networks").path("eth0").path("tx_bytes").asLong());
        assertEquals(0, doc.path("precpu_stats").path("cpu_usage").path("total_usage").asLong());

        JsonNode next = StatsDocument.document("abc", "web", s, s);
        assertEquals(doc.path("cpu_stats"), next.path("precpu_stats"));
        assertEquals("2026-01-01T00:00:01Z", next.path("preread").asText());
    }

    @Test
    void v2Metrics_asDockersStatsV2() {
        var m = dev.berth.api.cgroups.v2.Metrics.newBuilder()
                .setCpu(dev.berth.api.cgroups.v2.CPUStat.newBuilder().setUsageUsec(1500).setUserUsec(1000)
                        .setSystemUsec(500).setNrPeriods(4).setNrThrottled(1).setThrottledUsec(3))
                .setMemory(dev.berth.api.cgroups.v2.MemoryStat.newBuilder().setAnon(1000).setFile(2000)
                        .setInactiveFile(700).setShmem(20).setUsage(25_000_000).setUsageLimit(-1L))
                .setPids(dev.berth.api.cgroups.v2.PidsStat.newBuilder().setCurrent(2).setLimit(100))
                .setIo(IOStat.newBuilder().addUsage(IOEntry.newBuilder().setMajor(254).setMinor(1).setRbytes(10)
                        .setWbytes(20))).build();
        Any any = Any.newBuilder().setTypeUrl("io.containerd.cgroups.v2.Metrics").setValue(m.toByteString()).build();
        JsonNode doc = StatsDocument.document("id", "n", StatsDocument.of(any, Instant.EPOCH, SYSTEM, HOST_MEMORY,
                null), null);
        JsonNode cpu = doc.path("cpu_stats");
        assertEquals(1_500_000, cpu.path("cpu_usage").path("total_usage").asLong(), "usec → ns");
        assertEquals(500_000, cpu.path("cpu_usage").path("usage_in_kernelmode").asLong());
        assertFalse(cpu.path("cpu_usage").has("percpu_usage"));
        assertEquals(3000, cpu.path("throttling_data").path("throttled_time").asLong());
        JsonNode mem = doc.path("memory_stats");
        assertEquals(25_000_000, mem.path("usage").asLong());
        assertEquals(HOST_MEMORY, mem.path("limit").asLong(), "memory.max \"max\" (2^64-1): the host's");
        assertEquals(700, mem.path("stats").path("inactive_file").asLong());
        assertEquals(20, mem.path("stats").path("shmem").asLong());
        assertFalse(mem.path("stats").has("usage_limit"));
        assertFalse(mem.has("max_usage"));
        JsonNode io = doc.path("blkio_stats").path("io_service_bytes_recursive");
        assertEquals("[{\"major\":254,\"minor\":1,\"op\":\"read\",\"value\":10},"
                + "{\"major\":254,\"minor\":1,\"op\":\"write\",\"value\":20}]", io.toString());
        assertEquals(100, doc.path("pids_stats").path("limit").asInt());
        assertFalse(doc.has("networks"), "no interfaces of its own: left out");
    }

    @Test
    void emptySample_isDockersZeroDocument() {
        JsonNode doc = StatsDocument.document("id", "stopped", StatsDocument.empty(), null);
        assertEquals(StatsDocument.ZERO_TIME, doc.path("read").asText());
        assertEquals("{}", doc.path("memory_stats").toString());
        assertEquals("{}", doc.path("pids_stats").toString());
        assertEquals(0, doc.path("cpu_stats").path("cpu_usage").path("total_usage").asLong());
        assertTrue(doc.path("blkio_stats").path("io_service_bytes_recursive").isNull());
    }
}
