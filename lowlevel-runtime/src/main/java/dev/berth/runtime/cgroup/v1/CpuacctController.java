package dev.berth.runtime.cgroup.v1;

import dev.berth.runtime.cgroup.CgroupFs;
import dev.berth.runtime.cgroup.CgroupStats;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The v1 cpuacct controller, which only accounts: total, per-CPU, user and system CPU time. */
final class CpuacctController {
    /** {@code cpuacct.stat} counts USER_HZ ticks, which is 100 on every Linux architecture runc supports. */
    private static final long NANOS_PER_TICK = 1_000_000_000L / 100;

    private final CgroupFs fs;

    CpuacctController(CgroupFs fs) {
        this.fs = fs;
    }

    CgroupStats.CpuUsage usage(Path dir) {
        long total = fs.readLongIfExists(dir.resolve("cpuacct.usage"));
        List<Long> percpu = new ArrayList<>();
        Path percpuFile = dir.resolve("cpuacct.usage_percpu");
        if (fs.exists(percpuFile)) {
            for (String v : fs.read(percpuFile).trim().split("\\s+")) {
                if (!v.isEmpty()) {
                    percpu.add(Long.parseLong(v));
                }
            }
        }
        List<Long> kernel = new ArrayList<>();
        List<Long> user = new ArrayList<>();
        Path all = dir.resolve("cpuacct.usage_all");
        if (fs.exists(all)) {
            // "cpu user system" header, then one "n user system" line per CPU, in nanoseconds
            for (String line : fs.read(all).split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 3 && f[0].chars().allMatch(Character::isDigit)) {
                    user.add(Long.parseLong(f[1]));
                    kernel.add(Long.parseLong(f[2]));
                }
            }
        }
        var stat = fs.readKeyedIfExists(dir.resolve("cpuacct.stat"));
        return new CgroupStats.CpuUsage(total, percpu, kernel, user,
                stat.getOrDefault("system", 0L) * NANOS_PER_TICK, stat.getOrDefault("user", 0L) * NANOS_PER_TICK);
    }
}
