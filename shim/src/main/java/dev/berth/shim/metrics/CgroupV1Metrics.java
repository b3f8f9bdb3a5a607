package dev.berth.shim.metrics;

import com.google.protobuf.Descriptors.FieldDescriptor;
import dev.berth.api.cgroups.v1.BlkIOEntry;
import dev.berth.api.cgroups.v1.BlkIOStat;
import dev.berth.api.cgroups.v1.CPUStat;
import dev.berth.api.cgroups.v1.CPUUsage;
import dev.berth.api.cgroups.v1.HugetlbStat;
import dev.berth.api.cgroups.v1.MemoryEntry;
import dev.berth.api.cgroups.v1.MemoryStat;
import dev.berth.api.cgroups.v1.Metrics;
import dev.berth.api.cgroups.v1.PidsStat;
import dev.berth.api.cgroups.v1.Throttle;
import java.util.List;
import java.util.Map;

/**
 * The conversion of runc's stats JSON to containerd's {@code io.containerd.cgroups.v1.Metrics}, field for field as
 * containerd/cgroups fills it from the v1 controllers' files.
 */
final class CgroupV1Metrics {

    private CgroupV1Metrics() {}

    static Metrics of(StatsObject data) {
        StatsObject pids = data.object("pids");
        Metrics.Builder m = Metrics.newBuilder()
                .setPids(PidsStat.newBuilder().setCurrent(pids.u64("current")).setLimit(pids.u64("limit")))
                .setCpu(cpu(data.object("cpu")))
                .setMemory(memory(data.object("memory")))
                .setBlkio(blkio(data.object("blkio")));
        data.object("hugetlb").objectsByKey().forEach((pagesize, h) -> m.addHugetlb(HugetlbStat.newBuilder()
                .setPagesize(pagesize).setUsage(h.u64("usage")).setMax(h.u64("max")).setFailcnt(h.u64("failcnt"))));
        return m.build();
    }

    private static CPUStat cpu(StatsObject cpu) {
        StatsObject usage = cpu.object("usage");
        StatsObject throttling = cpu.object("throttling");
        return CPUStat.newBuilder()
                .setUsage(CPUUsage.newBuilder().setTotal(usage.u64("total")).setKernel(usage.u64("kernel"))
                        .setUser(usage.u64("user")).addAllPerCpu(usage.longs("percpu")))
                .setThrottling(Throttle.newBuilder().setPeriods(throttling.u64("periods"))
                        .setThrottledPeriods(throttling.u64("throttledPeriods"))
                        .setThrottledTime(throttling.u64("throttledTime")))
                .build();
    }

    private static MemoryStat memory(StatsObject memory) {
        MemoryStat.Builder b = MemoryStat.newBuilder()
                .setUsage(entry(memory.object("usage")))
                .setSwap(entry(memory.object("swap")))
                .setKernel(entry(memory.object("kernel")))
                .setKernelTcp(entry(memory.object("kernelTCP")));
        Map<String, Long> raw = memory.object("raw").numbers();
        for (FieldDescriptor f : MemoryStat.getDescriptor().getFields()) {
            Long v = raw.get(statKey(f.getName()));
            if (f.getType() == FieldDescriptor.Type.UINT64 && v != null) {
                b.setField(f, v);
            }
        }
        return b.build();
    }

    /**
     * The {@code memory.stat} key behind a MemoryStat field: the proto's names split the kernel's {@code pgpgin},
     * {@code pgfault} and {@code pgmajfault} into words, and call {@code hierarchical_memsw_limit} a swap limit.
     */
    static String statKey(String field) {
        return field.replace("pg_pg_", "pgpg").replace("pg_maj_fault", "pgmajfault").replace("pg_fault", "pgfault")
                .replace("hierarchical_swap_limit", "hierarchical_memsw_limit");
    }

    private static MemoryEntry entry(StatsObject e) {
        return MemoryEntry.newBuilder().setLimit(e.u64("limit")).setUsage(e.u64("usage")).setMax(e.u64("max"))
                .setFailcnt(e.u64("failcnt")).build();
    }

    private static BlkIOStat blkio(StatsObject blkio) {
        return BlkIOStat.newBuilder()
                .addAllIoServiceBytesRecursive(entries(blkio, "ioServiceBytesRecursive"))
                .addAllIoServicedRecursive(entries(blkio, "ioServicedRecursive"))
                .addAllIoQueuedRecursive(entries(blkio, "ioQueueRecursive"))
                .addAllIoServiceTimeRecursive(entries(blkio, "ioServiceTimeRecursive"))
                .addAllIoWaitTimeRecursive(entries(blkio, "ioWaitTimeRecursive"))
                .addAllIoMergedRecursive(entries(blkio, "ioMergedRecursive"))
                .addAllIoTimeRecursive(entries(blkio, "ioTimeRecursive"))
                .addAllSectorsRecursive(entries(blkio, "sectorsRecursive"))
                .build();
    }

    private static List<BlkIOEntry> entries(StatsObject blkio, String key) {
        return blkio.objects(key).stream().map(e -> BlkIOEntry.newBuilder().setOp(e.string("op"))
                .setMajor(e.u64("major")).setMinor(e.u64("minor")).setValue(e.u64("value")).build()).toList();
    }
}
