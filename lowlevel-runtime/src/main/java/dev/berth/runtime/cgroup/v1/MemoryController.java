package dev.berth.runtime.cgroup.v1;

import dev.berth.runtime.cgroup.CgroupException;
import dev.berth.runtime.cgroup.CgroupFs;
import dev.berth.runtime.cgroup.CgroupStats;
import dev.berth.runtime.spec.LinuxResources;
import java.nio.file.Path;

/**
 * The v1 memory controller.
 *
 * <p>As in runc: a 0 limit, reservation or swap means "not set"; the spec's {@code swap} is the memory+swap total
 * ({@code memory.memsw.limit_in_bytes}); {@code kernel} is ignored because kernels since 5.16 no longer enforce kmem
 * limits (writes are accepted and do nothing) and runc ignores it too; {@code useHierarchy} and
 * {@code checkBeforeUpdate} are ignored (hierarchy is always on in current kernels).
 */
final class MemoryController implements Controller {
    private static final String LIMIT = "memory.limit_in_bytes";
    private static final String MEMSW_LIMIT = "memory.memsw.limit_in_bytes";

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
        return r.memory() != null;
    }

    @Override
    public void set(Path dir, LinuxResources r) {
        LinuxResources.Memory m = r.memory();
        if (m == null) {
            return;
        }
        setLimitAndSwap(dir, orZero(m.limit()), orZero(m.swap()));
        if (orZero(m.reservation()) != 0) {
            fs.write(dir.resolve("memory.soft_limit_in_bytes"), Long.toString(m.reservation()));
        }
        if (orZero(m.kernelTCP()) != 0) {
            fs.write(dir.resolve("memory.kmem.tcp.limit_in_bytes"), Long.toString(m.kernelTCP()));
        }
        if (m.swappiness() != null && m.swappiness() != -1) {
            if (m.swappiness() < 0 || m.swappiness() > 100) {
                throw new CgroupException("write " + dir.resolve("memory.swappiness") + ": invalid memory swappiness "
                        + Long.toUnsignedString(m.swappiness()) + " (valid range is 0-100)");
            }
            fs.write(dir.resolve("memory.swappiness"), Long.toString(m.swappiness()));
        }
        if (m.disableOOMKiller() != null) {
            fs.write(dir.resolve("memory.oom_control"), m.disableOOMKiller() ? "1" : "0");
        }
    }

    /**
     * The kernel rejects a memory limit above memsw and a memsw below the memory limit, so the order depends on the
     * direction: raising writes memsw first, lowering writes the memory limit first (runc's rule).
     */
    private void setLimitAndSwap(Path dir, long limit, long swap) {
        if (limit == -1 && swap == 0 && fs.exists(dir.resolve(MEMSW_LIMIT))) {
            swap = -1; // unlimited memory without a swap setting means unlimited memory+swap too
        }
        if (limit != 0 && swap != 0) {
            long current = fs.readLong(dir.resolve(LIMIT));
            if (swap == -1 || Long.compareUnsigned(current, swap) < 0) {
                write(dir, MEMSW_LIMIT, swap);
                write(dir, LIMIT, limit);
                return;
            }
        }
        write(dir, LIMIT, limit);
        write(dir, MEMSW_LIMIT, swap);
    }

    private void write(Path dir, String file, long value) {
        if (value != 0) {
            fs.write(dir.resolve(file), Long.toString(value));
        }
    }

    CgroupStats.Memory stats(Path dir) {
        var raw = fs.readKeyedIfExists(dir.resolve("memory.stat"));
        return new CgroupStats.Memory(raw.getOrDefault("cache", 0L), entry(dir, "memory."),
                entry(dir, "memory.memsw."), entry(dir, "memory.kmem."), entry(dir, "memory.kmem.tcp."), raw);
    }

    private CgroupStats.MemoryEntry entry(Path dir, String prefix) {
        if (!fs.exists(dir.resolve(prefix + "limit_in_bytes"))) {
            return CgroupStats.MemoryEntry.EMPTY;
        }
        return new CgroupStats.MemoryEntry(fs.readLong(dir.resolve(prefix + "limit_in_bytes")),
                fs.readLongIfExists(dir.resolve(prefix + "usage_in_bytes")),
                fs.readLongIfExists(dir.resolve(prefix + "max_usage_in_bytes")),
                fs.readLongIfExists(dir.resolve(prefix + "failcnt")));
    }

    /** {@code oom_kill} from {@code memory.oom_control} (kernels since 4.13). */
    long oomKillCount(Path dir) {
        return fs.readKeyed(dir.resolve("memory.oom_control")).getOrDefault("oom_kill", 0L);
    }

    private static long orZero(Long v) {
        return v == null ? 0 : v;
    }
}
