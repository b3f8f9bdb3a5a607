package dev.berth.runtime.cgroup;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The mapping of {@link CgroupStats} to runc's {@code types.Stats} JSON object (Go omitempty included). */
final class StatsJson {

    private StatsJson() {}

    static Map<String, Object> of(CgroupStats s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cpu", cpu(s.cpu()));
        out.put("memory", memory(s.memory()));
        Map<String, Object> pids = new LinkedHashMap<>();
        putNonZero(pids, "current", s.pids().current());
        putNonZero(pids, "limit", s.pids().limit());
        out.put("pids", pids);
        Map<String, Object> blkio = new LinkedHashMap<>();
        putNonEmpty(blkio, "ioServiceBytesRecursive", blkio(s.blkio().ioServiceBytesRecursive()));
        putNonEmpty(blkio, "ioServicedRecursive", blkio(s.blkio().ioServicedRecursive()));
        out.put("blkio", blkio);
        Map<String, Object> hugetlb = new LinkedHashMap<>();
        s.hugetlb().forEach((size, h) -> {
            Map<String, Object> e = new LinkedHashMap<>();
            putNonZero(e, "usage", h.usage());
            putNonZero(e, "max", h.max());
            e.put("failcnt", unsigned(h.failcnt()));
            hugetlb.put(size, e);
        });
        out.put("hugetlb", hugetlb);
        out.put("intel_rdt", Map.of());
        return out;
    }

    private static Map<String, Object> cpu(CgroupStats.Cpu cpu) {
        CgroupStats.CpuUsage u = cpu.usage();
        Map<String, Object> usage = new LinkedHashMap<>();
        putNonZero(usage, "total", u.total());
        putNonEmpty(usage, "percpu", u.percpu().stream().map(StatsJson::unsigned).toList());
        putNonEmpty(usage, "percpu_kernel", u.percpuKernel().stream().map(StatsJson::unsigned).toList());
        putNonEmpty(usage, "percpu_user", u.percpuUser().stream().map(StatsJson::unsigned).toList());
        usage.put("kernel", unsigned(u.kernel()));
        usage.put("user", unsigned(u.user()));
        Map<String, Object> throttling = new LinkedHashMap<>();
        putNonZero(throttling, "periods", cpu.throttling().periods());
        putNonZero(throttling, "throttledPeriods", cpu.throttling().throttledPeriods());
        putNonZero(throttling, "throttledTime", cpu.throttling().throttledTime());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("usage", usage);
        out.put("throttling", throttling);
        return out;
    }

    private static Map<String, Object> memory(CgroupStats.Memory m) {
        Map<String, Object> out = new LinkedHashMap<>();
        putNonZero(out, "cache", m.cache());
        out.put("usage", entry(m.usage()));
        out.put("swap", entry(m.swap()));
        out.put("kernel", entry(m.kernel()));
        out.put("kernelTCP", entry(m.kernelTcp()));
        if (!m.raw().isEmpty()) {
            Map<String, Object> raw = new LinkedHashMap<>();
            m.raw().forEach((k, v) -> raw.put(k, unsigned(v)));
            out.put("raw", raw);
        }
        return out;
    }

    private static Map<String, Object> entry(CgroupStats.MemoryEntry e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("limit", unsigned(e.limit()));
        putNonZero(out, "usage", e.usage());
        putNonZero(out, "max", e.max());
        out.put("failcnt", unsigned(e.failcnt()));
        return out;
    }

    private static List<Object> blkio(List<CgroupStats.BlkioEntry> entries) {
        return entries.stream().<Object>map(e -> {
            Map<String, Object> m = new LinkedHashMap<>();
            putNonZero(m, "major", e.major());
            putNonZero(m, "minor", e.minor());
            if (!e.op().isEmpty()) {
                m.put("op", e.op());
            }
            putNonZero(m, "value", e.value());
            return m;
        }).toList();
    }

    private static void putNonZero(Map<String, Object> m, String key, long v) {
        if (v != 0) {
            m.put(key, unsigned(v));
        }
    }

    private static void putNonEmpty(Map<String, Object> m, String key, List<?> v) {
        if (!v.isEmpty()) {
            m.put(key, v);
        }
    }

    /** Go's uint64: a negative long (only -1, "max", in practice) is its unsigned value. */
    private static Object unsigned(long v) {
        return v >= 0 ? (Object) v : new BigInteger(Long.toUnsignedString(v));
    }
}
