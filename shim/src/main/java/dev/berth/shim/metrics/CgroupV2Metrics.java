package dev.berth.shim.metrics;

import com.google.protobuf.Descriptors.FieldDescriptor;
import dev.berth.api.cgroups.v2.CPUStat;
import dev.berth.api.cgroups.v2.HugeTlbStat;
import dev.berth.api.cgroups.v2.IOEntry;
import dev.berth.api.cgroups.v2.IOStat;
import dev.berth.api.cgroups.v2.MemoryStat;
import dev.berth.api.cgroups.v2.Metrics;
import dev.berth.api.cgroups.v2.PidsStat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The conversion of runc's stats JSON to containerd's {@code io.containerd.cgroups.v2.Metrics}. runc reports v2
 * in its v1-shaped JSON: cpu in nanoseconds (v2 counts microseconds), swap as memory+swap, and io.stat split into
 * per-op blkio entries; this undoes each of those.
 */
final class CgroupV2Metrics {

    private CgroupV2Metrics() {}

    static Metrics of(StatsObject data) {
        StatsObject pids = data.object("pids");
        Metrics.Builder m = Metrics.newBuilder()
                .setPids(PidsStat.newBuilder().setCurrent(pids.u64("current")).setLimit(pids.u64("limit")))
                .setCpu(cpu(data.object("cpu")))
                .setMemory(memory(data.object("memory")))
                .setIo(io(data.object("blkio")));
        data.object("hugetlb").objectsByKey().forEach((pagesize, h) -> m.addHugetlb(HugeTlbStat.newBuilder()
                .setPagesize(pagesize).setCurrent(h.u64("usage")).setMax(h.u64("max"))));
        return m.build();
    }

    private static CPUStat cpu(StatsObject cpu) {
        StatsObject usage = cpu.object("usage");
        StatsObject throttling = cpu.object("throttling");
        return CPUStat.newBuilder().setUsageUsec(usage.u64("total") / 1000).setUserUsec(usage.u64("user") / 1000)
                .setSystemUsec(usage.u64("kernel") / 1000).setNrPeriods(throttling.u64("periods"))
                .setNrThrottled(throttling.u64("throttledPeriods"))
                .setThrottledUsec(throttling.u64("throttledTime") / 1000).build();
    }

    private static MemoryStat memory(StatsObject memory) {
        StatsObject usage = memory.object("usage");
        StatsObject swap = memory.object("swap");
        MemoryStat.Builder b = MemoryStat.newBuilder();
        Map<String, Long> raw = memory.object("raw").numbers();
        for (FieldDescriptor f : MemoryStat.getDescriptor().getFields()) {
            Long v = raw.get(f.getName());
            if (v != null) {
                b.setField(f, v);
            }
        }
        long swapOnly = swap.u64("usage") - usage.u64("usage");
        return b.setUsage(usage.u64("usage")).setUsageLimit(usage.u64("limit"))
                .setSwapUsage(Math.max(0, swapOnly)).setSwapLimit(swap.u64("limit")).build();
    }

    private static IOStat io(StatsObject blkio) {
        Map<String, IOEntry.Builder> byDevice = new TreeMap<>();
        for (StatsObject e : blkio.objects("ioServiceBytesRecursive")) {
            IOEntry.Builder d = device(byDevice, e);
            switch (e.string("op").toLowerCase(Locale.ROOT)) {
                case "read" -> d.setRbytes(e.u64("value"));
                case "write" -> d.setWbytes(e.u64("value"));
                default -> { }
            }
        }
        for (StatsObject e : blkio.objects("ioServicedRecursive")) {
            IOEntry.Builder d = device(byDevice, e);
            switch (e.string("op").toLowerCase(Locale.ROOT)) {
                case "read" -> d.setRios(e.u64("value"));
                case "write" -> d.setWios(e.u64("value"));
                default -> { }
            }
        }
        IOStat.Builder io = IOStat.newBuilder();
        byDevice.values().forEach(io::addUsage);
        return io.build();
    }

    private static IOEntry.Builder device(Map<String, IOEntry.Builder> byDevice, StatsObject e) {
        return byDevice.computeIfAbsent(e.u64("major") + ":" + e.u64("minor"),
                k -> IOEntry.newBuilder().setMajor(e.u64("major")).setMinor(e.u64("minor")));
    }
}
