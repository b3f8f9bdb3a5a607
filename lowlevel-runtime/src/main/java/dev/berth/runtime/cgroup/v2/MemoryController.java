package dev.berth.runtime.cgroup.v2;

import dev.berth.runtime.cgroup.CgroupException;
import dev.berth.runtime.cgroup.CgroupFs;
import dev.berth.runtime.cgroup.CgroupStats;
import dev.berth.runtime.spec.LinuxResources;
import java.nio.file.Path;
import java.util.Map;

/**
 * The v2 memory controller: {@code memory.max}, {@code memory.low} (the reservation) and {@code memory.swap.max}.
 *
 * <p>The spec's {@code swap} is memory+swap (v1's memsw), so {@code memory.swap.max} gets swap - limit, as runc
 * converts it. 0 means "not set", -1 unlimited. {@code kernel}, {@code kernelTCP}, {@code swappiness},
 * {@code useHierarchy} and {@code checkBeforeUpdate} have no v2 file and are ignored, as in runc.
 */
final class MemoryController implements Controller {
    private final CgroupFs fs;

    MemoryController(CgroupFs fs) {
        this.fs = fs;
    }

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public boolean requested(LinuxResources r) {
        LinuxResources.Memory m = r.memory();
        return m != null && (nz(m.limit()) || nz(m.swap()) || nz(m.reservation()) || m.disableOOMKiller() != null);
    }

    @Override
    public void set(Path dir, LinuxResources r) {
        LinuxResources.Memory m = r.memory();
        if (m == null) {
            return;
        }
        long limit = orZero(m.limit());
        long memsw = orZero(m.swap());
        long swap = swapMax(memsw, limit, dir);
        // memory+swap equal to memory (swap == 0, memsw > 0) means no swap at all: "0", never an empty write
        String swapValue = swap == -1 ? "max" : swap > 0 ? Long.toString(swap) : memsw > 0 ? "0" : null;
        Path swapFile = dir.resolve("memory.swap.max");
        boolean noSwapAccounting = !fs.exists(swapFile) && ("max".equals(swapValue) || "0".equals(swapValue));
        if (swapValue != null && !noSwapAccounting) {
            fs.write(swapFile, swapValue);
        }
        if (limit != 0) {
            fs.write(dir.resolve("memory.max"), limit == -1 ? "max" : Long.toString(limit));
        }
        if (orZero(m.reservation()) != 0) {
            long low = m.reservation();
            fs.write(dir.resolve("memory.low"), low == -1 ? "max" : Long.toString(low));
        }
        if (Boolean.TRUE.equals(m.disableOOMKiller())) {
            throw new CgroupException("set " + dir + ": disableOOMKiller is not supported on cgroup v2");
        }
    }

    /** runc's ConvertMemorySwapToCgroupV2Value. */
    static long swapMax(long memsw, long limit, Path dir) {
        if (limit == -1 && memsw == 0) {
            return -1;
        }
        if (memsw == -1 || memsw == 0) {
            return memsw;
        }
        Path file = dir.resolve("memory.swap.max");
        if (limit == 0 || limit == -1) {
            throw new CgroupException("write " + file + ": unable to set swap limit without memory limit");
        }
        if (memsw < limit) {
            throw new CgroupException("write " + file + ": memory+swap limit " + memsw
                    + " should be >= memory limit " + limit);
        }
        return memsw - limit;
    }

    /** Swap is reported as memory+swap, like v1's memsw, as runc does. */
    CgroupStats.Memory stats(Path dir) {
        Map<String, Long> raw = fs.readKeyedIfExists(dir.resolve("memory.stat"));
        Map<String, Long> events = fs.readKeyedIfExists(dir.resolve("memory.events"));
        long usage = fs.readLongIfExists(dir.resolve("memory.current"));
        long limit = fs.exists(dir.resolve("memory.max")) ? fs.readLong(dir.resolve("memory.max")) : -1;
        CgroupStats.MemoryEntry memory = new CgroupStats.MemoryEntry(limit, usage,
                fs.readLongIfExists(dir.resolve("memory.peak")), events.getOrDefault("max", 0L));
        CgroupStats.MemoryEntry swap = CgroupStats.MemoryEntry.EMPTY;
        if (fs.exists(dir.resolve("memory.swap.max"))) {
            long swapLimit = fs.readLong(dir.resolve("memory.swap.max"));
            Map<String, Long> swapEvents = fs.readKeyedIfExists(dir.resolve("memory.swap.events"));
            swap = new CgroupStats.MemoryEntry(swapLimit == -1 || limit == -1 ? -1 : swapLimit + limit,
                    usage + fs.readLongIfExists(dir.resolve("memory.swap.current")),
                    0, swapEvents.getOrDefault("max", 0L));
        }
        return new CgroupStats.Memory(raw.getOrDefault("file", 0L), memory, swap, CgroupStats.MemoryEntry.EMPTY,
                CgroupStats.MemoryEntry.EMPTY, raw);
    }

    long oomKillCount(Path dir) {
        return fs.readKeyed(dir.resolve("memory.events")).getOrDefault("oom_kill", 0L);
    }

    private static boolean nz(Long v) {
        return v != null && v != 0;
    }

    private static long orZero(Long v) {
        return v == null ? 0 : v;
    }
}
