package dev.berth.runtime.cgroup.v2;

import dev.berth.runtime.cgroup.CgroupException;
import dev.berth.runtime.cgroup.CgroupFs;
import dev.berth.runtime.cgroup.CgroupStats;
import dev.berth.runtime.spec.LinuxResources;
import java.nio.file.Path;
import java.util.List;

/**
 * The v2 cpu controller: {@code cpu.weight} from the spec's shares, {@code cpu.max} from quota and period,
 * {@code cpu.max.burst} and {@code cpu.idle}. v2 has no realtime group scheduling, so realtime limits are refused.
 */
final class CpuController implements Controller {
    private final CgroupFs fs;

    CpuController(CgroupFs fs) {
        this.fs = fs;
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public boolean requested(LinuxResources r) {
        LinuxResources.Cpu c = r.cpu();
        return c != null && (nz(c.shares()) || nz(c.quota()) || nz(c.period()) || c.burst() != null
                || c.idle() != null || nz(c.realtimePeriod()) || nz(c.realtimeRuntime()));
    }

    @Override
    public void set(Path dir, LinuxResources r) {
        LinuxResources.Cpu c = r.cpu();
        if (c == null) {
            return;
        }
        if (nz(c.realtimePeriod()) || nz(c.realtimeRuntime())) {
            throw new CgroupException("write " + dir.resolve("cpu.max")
                    + ": realtime cpu limits are not supported on cgroup v2");
        }
        if (c.idle() != null) {
            fs.write(dir.resolve("cpu.idle"), Long.toString(c.idle()));
        }
        if (nz(c.shares())) {
            fs.write(dir.resolve("cpu.weight"), Long.toString(weight(c.shares())));
        }
        if (nz(c.quota()) || nz(c.period())) {
            String max = c.quota() != null && c.quota() > 0 ? Long.toString(c.quota()) : "max";
            if (nz(c.period())) {
                max += " " + c.period();
            }
            fs.write(dir.resolve("cpu.max"), max);
        }
        if (c.burst() != null) {
            fs.write(dir.resolve("cpu.max.burst"), Long.toString(c.burst()));
        }
    }

    /**
     * runc's shares-to-weight conversion: a quadratic in log2(shares) that maps v1's range [2, 262144] onto
     * [1, 10000] and its default 1024 onto v2's default 100.
     */
    static long weight(long shares) {
        if (shares == 0) {
            return 0;
        }
        if (shares <= 2) {
            return 1;
        }
        if (shares >= 262144) {
            return 10000;
        }
        double l = Math.log(shares) / Math.log(2);
        double exponent = (l * l + 125 * l) / 612.0 - 7.0 / 34.0;
        return (long) Math.ceil(Math.pow(10, exponent));
    }

    /** v2 reports microseconds and no per-CPU breakdown. */
    CgroupStats.Cpu stats(Path dir) {
        var s = fs.readKeyedIfExists(dir.resolve("cpu.stat"));
        return new CgroupStats.Cpu(
                new CgroupStats.CpuUsage(s.getOrDefault("usage_usec", 0L) * 1000, List.of(), List.of(), List.of(),
                        s.getOrDefault("system_usec", 0L) * 1000, s.getOrDefault("user_usec", 0L) * 1000),
                new CgroupStats.Throttling(s.getOrDefault("nr_periods", 0L), s.getOrDefault("nr_throttled", 0L),
                        s.getOrDefault("throttled_usec", 0L) * 1000));
    }

    private static boolean nz(Long v) {
        return v != null && v != 0;
    }
}
