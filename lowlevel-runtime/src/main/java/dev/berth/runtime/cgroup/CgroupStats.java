package dev.berth.runtime.cgroup;

import java.util.List;
import java.util.Map;

/**
 * A snapshot of a cgroup's usage and limits, in runc's units (bytes, nanoseconds); {@link #toJson()} gives the
 * {@code data} object of {@code runc events --stats}.
 *
 * <p>A limit of -1 means unlimited ({@code max}); as runc does, JSON renders it as 2^64-1. Values the kernel does
 * not provide are 0.
 */
public record CgroupStats(Cpu cpu, Memory memory, Pids pids, Blkio blkio, Map<String, Hugetlb> hugetlb) {

    public static final CgroupStats EMPTY = new CgroupStats(Cpu.EMPTY, Memory.EMPTY, Pids.EMPTY, Blkio.EMPTY, Map.of());

    public record Cpu(CpuUsage usage, Throttling throttling) {
        public static final Cpu EMPTY = new Cpu(CpuUsage.EMPTY, Throttling.EMPTY);
    }

    /** CPU time in nanoseconds since the cgroup was created. */
    public record CpuUsage(long total, List<Long> percpu, List<Long> percpuKernel, List<Long> percpuUser,
                           long kernel, long user) {
        public static final CpuUsage EMPTY = new CpuUsage(0, List.of(), List.of(), List.of(), 0, 0);
    }

    /** CFS bandwidth throttling; {@code throttledTime} in nanoseconds. */
    public record Throttling(long periods, long throttledPeriods, long throttledTime) {
        public static final Throttling EMPTY = new Throttling(0, 0, 0);
    }

    /**
     * Memory. {@code swap} is memory+swap as in cgroup v1's memsw (v2 adds memory to swap to match);
     * {@code raw} is {@code memory.stat}.
     */
    public record Memory(long cache, MemoryEntry usage, MemoryEntry swap, MemoryEntry kernel, MemoryEntry kernelTcp,
                         Map<String, Long> raw) {
        public static final Memory EMPTY =
                new Memory(0, MemoryEntry.EMPTY, MemoryEntry.EMPTY, MemoryEntry.EMPTY, MemoryEntry.EMPTY, Map.of());
    }

    /** One memory counter: bytes in use, peak, limit, and how often the limit was hit. */
    public record MemoryEntry(long limit, long usage, long max, long failcnt) {
        public static final MemoryEntry EMPTY = new MemoryEntry(0, 0, 0, 0);
    }

    /** Process count; {@code limit} 0 means unlimited, as in runc. */
    public record Pids(long current, long limit) {
        public static final Pids EMPTY = new Pids(0, 0);
    }

    public record Blkio(List<BlkioEntry> ioServiceBytesRecursive, List<BlkioEntry> ioServicedRecursive) {
        public static final Blkio EMPTY = new Blkio(List.of(), List.of());
    }

    /** One per-device counter, {@code op} being Read, Write, Sync, Async, Discard or Total. */
    public record BlkioEntry(long major, long minor, String op, long value) {}

    /** Huge page usage for one page size (the map key, e.g. {@code 2MB}). */
    public record Hugetlb(long usage, long max, long failcnt) {}

    /** runc's {@code types.Stats} JSON shape, with its field names and omitempty rules. */
    public Map<String, Object> toJson() {
        return StatsJson.of(this);
    }
}
