package dev.berth.manager.engine;

import dev.berth.api.errdefs.BerthException;

/**
 * The host's figures docker puts beside a container's in its stats: the system's CPU time from {@code /proc/stat}
 * and the host's memory from {@code /proc/meminfo}, read as docker 20.10's {@code getSystemCPUUsage} and
 * {@code sysinfo} do.
 */
final class ProcStat {
    /** {@code USER_HZ}: the unit of {@code /proc/stat}, 100 on every Linux architecture docker supports. */
    private static final long CLOCK_TICKS = 100;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private ProcStat() {
    }

    /**
     * @param usageNanos the first seven fields of the {@code cpu} line (user, nice, system, idle, iowait, irq,
     *     softirq) in nanoseconds
     * @param onlineCpus the number of {@code cpuN} lines
     */
    record SystemCpu(long usageNanos, int onlineCpus) {
    }

    static SystemCpu systemCpu(String procStat) {
        long usage = -1;
        int online = 0;
        for (String line : procStat.split("\n")) {
            String[] parts = line.trim().split("\\s+");
            if (parts[0].equals("cpu")) {
                if (parts.length < 8) {
                    throw BerthException.internal("read /proc/stat: invalid number of cpu fields");
                }
                long ticks = 0;
                for (int i = 1; i < 8; i++) {
                    ticks += Long.parseLong(parts[i]);
                }
                usage = ticks * NANOS_PER_SECOND / CLOCK_TICKS;
            } else if (parts[0].length() > 3 && parts[0].startsWith("cpu")) {
                online++;
            }
        }
        if (usage < 0) {
            throw BerthException.internal("read /proc/stat: no cpu line");
        }
        return new SystemCpu(usage, online);
    }

    /** {@code MemTotal} of {@code /proc/meminfo} in bytes; 0 if absent. */
    static long memTotal(String meminfo) {
        for (String line : meminfo.split("\n")) {
            if (line.startsWith("MemTotal:")) {
                String[] parts = line.trim().split("\\s+");
                return Long.parseLong(parts[1]) * 1024;
            }
        }
        return 0;
    }
}
