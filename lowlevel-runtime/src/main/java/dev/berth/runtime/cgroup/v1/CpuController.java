package dev.berth.runtime.cgroup.v1;

import dev.berth.runtime.cgroup.CgroupException;
import dev.berth.runtime.cgroup.CgroupFs;
import dev.berth.runtime.cgroup.CgroupStats;
import dev.berth.runtime.spec.LinuxResources;
import java.nio.file.Path;

/**
 * The v1 cpu controller: shares, CFS quota/period/burst, realtime runtime/period and idle. A 0 shares, quota or
 * period means "not set", as in runc.
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
                || nz(c.realtimeRuntime()) || nz(c.realtimePeriod()) || c.idle() != null);
    }

    @Override
    public void set(Path dir, LinuxResources r) {
        LinuxResources.Cpu c = r.cpu();
        if (c == null) {
            return;
        }
        if (nz(c.shares())) {
            setShares(dir, c.shares());
        }
        boolean periodPending = false;
        if (nz(c.period())) {
            try {
                fs.write(dir.resolve("cpu.cfs_period_us"), Long.toString(c.period()));
            } catch (CgroupException e) {
                // A period smaller than the current one can be refused (EINVAL) while the old quota / new period
                // exceeds the parent's bandwidth; it is accepted once the new quota is in, so retry after it.
                if (!nz(c.quota())) {
                    throw e;
                }
                periodPending = true;
            }
        }
        if (c.burst() != null) {
            fs.write(dir.resolve("cpu.cfs_burst_us"), Long.toString(c.burst()));
        }
        if (nz(c.quota())) {
            fs.write(dir.resolve("cpu.cfs_quota_us"), Long.toString(c.quota()));
            if (periodPending) {
                fs.write(dir.resolve("cpu.cfs_period_us"), Long.toString(c.period()));
            }
        }
        if (nz(c.realtimePeriod())) {
            fs.write(dir.resolve("cpu.rt_period_us"), Long.toString(c.realtimePeriod()));
        }
        if (nz(c.realtimeRuntime())) {
            fs.write(dir.resolve("cpu.rt_runtime_us"), Long.toString(c.realtimeRuntime()));
        }
        if (c.idle() != null) {
            fs.write(dir.resolve("cpu.idle"), Long.toString(c.idle()));
        }
    }

    /** The kernel clamps shares to [2, 262144] silently; runc reads the value back and reports the bound. */
    private void setShares(Path dir, long shares) {
        Path file = dir.resolve("cpu.shares");
        fs.write(file, Long.toString(shares));
        long actual = fs.readLong(file);
        if (shares > actual) {
            throw new CgroupException("write " + file + ": the maximum allowed cpu-shares is " + actual);
        } else if (shares < actual) {
            throw new CgroupException("write " + file + ": the minimum allowed cpu-shares is " + actual);
        }
    }

    CgroupStats.Throttling throttling(Path dir) {
        var stat = fs.readKeyedIfExists(dir.resolve("cpu.stat"));
        return new CgroupStats.Throttling(stat.getOrDefault("nr_periods", 0L), stat.getOrDefault("nr_throttled", 0L),
                stat.getOrDefault("throttled_time", 0L));
    }

    private static boolean nz(Long v) {
        return v != null && v != 0;
    }
}
