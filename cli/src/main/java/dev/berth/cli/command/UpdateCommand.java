package dev.berth.cli.command;

import dev.berth.cli.client.CliException;
import dev.berth.cli.flags.ContainerOptions;
import dev.berth.cli.flags.Units;
import dev.berth.client.Berth;
import dev.berth.client.DaemonException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth update}: docker's resource and restart flags into its {@code UpdateConfig}, sent for each
 * container; prints each container updated, then the daemon's warnings; a failure is docker's line on stderr.
 */
@Command(name = "update")
public final class UpdateCommand extends BaseCommand {
    @Option(names = "--blkio-weight", description = "Block IO (relative weight), between 10 and 1000, or 0 to "
            + "disable (default 0)")
    Integer blkioWeight;
    @Option(names = "--cpu-period", description = "Limit CPU CFS (Completely Fair Scheduler) period")
    Long cpuPeriod;
    @Option(names = "--cpu-quota", description = "Limit CPU CFS (Completely Fair Scheduler) quota")
    Long cpuQuota;
    @Option(names = "--cpu-rt-period", description = "Limit the CPU real-time period in microseconds")
    Long cpuRtPeriod;
    @Option(names = "--cpu-rt-runtime", description = "Limit the CPU real-time runtime in microseconds")
    Long cpuRtRuntime;
    @Option(names = {"-c", "--cpu-shares"}, description = "CPU shares (relative weight)")
    Long cpuShares;
    @Option(names = "--cpus", description = "Number of CPUs")
    String cpus;
    @Option(names = "--cpuset-cpus", description = "CPUs in which to allow execution (0-3, 0,1)")
    String cpusetCpus;
    @Option(names = "--cpuset-mems", description = "MEMs in which to allow execution (0-3, 0,1)")
    String cpusetMems;
    @Option(names = "--kernel-memory", description = "Kernel memory limit")
    String kernelMemory;
    @Option(names = {"-m", "--memory"}, description = "Memory limit")
    String memory;
    @Option(names = "--memory-reservation", description = "Memory soft limit")
    String memoryReservation;
    @Option(names = "--memory-swap", description = "Swap limit equal to memory plus swap: '-1' to enable unlimited "
            + "swap")
    String memorySwap;
    @Option(names = "--pids-limit", description = "Tune container pids limit (set -1 for unlimited)")
    Long pidsLimit;
    @Option(names = "--restart", description = "Restart policy to apply when a container exits")
    String restart;
    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> refs;

    @Override
    int run(Berth berth) {
        Map<String, Object> update = updateConfig();
        if (update.isEmpty()) {
            throw CliException.failed("You must provide one or more flags when using this command.");
        }
        List<String> warnings = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (String ref : refs) {
            try {
                warnings.addAll(berth.containers().update(ref, update));
                out.println(ref);
            } catch (DaemonException e) {
                if (e.unreachable()) {
                    throw e;
                }
                errors.add("Error response from daemon: " + e.getMessage());
            }
        }
        if (!warnings.isEmpty()) {
            out.println(String.join("\n", warnings));
        }
        out.flush();
        if (!errors.isEmpty()) {
            err.println(String.join("\n", errors));
            err.flush();
            return CliException.DAEMON;
        }
        return 0;
    }

    /** docker's {@code UpdateConfig}: only the flags given. */
    Map<String, Object> updateConfig() {
        Map<String, Object> u = new LinkedHashMap<>();
        if (blkioWeight != null) {
            u.put("BlkioWeight", blkioWeight);
        }
        if (cpuPeriod != null) {
            u.put("CpuPeriod", cpuPeriod);
        }
        if (cpuQuota != null) {
            u.put("CpuQuota", cpuQuota);
        }
        if (cpuRtPeriod != null) {
            u.put("CpuRealtimePeriod", cpuRtPeriod);
        }
        if (cpuRtRuntime != null) {
            u.put("CpuRealtimeRuntime", cpuRtRuntime);
        }
        if (cpuShares != null) {
            u.put("CpuShares", cpuShares);
        }
        if (cpus != null) {
            try {
                u.put("NanoCpus", new BigDecimal(cpus.strip()).movePointRight(9).longValueExact());
            } catch (NumberFormatException | ArithmeticException e) {
                throw CliException.failed("invalid argument \"" + cpus + "\" for \"--cpus\" flag: failed to parse "
                        + cpus + " as a rational number");
            }
        }
        if (cpusetCpus != null) {
            u.put("CpusetCpus", cpusetCpus);
        }
        if (cpusetMems != null) {
            u.put("CpusetMems", cpusetMems);
        }
        if (kernelMemory != null) {
            u.put("KernelMemory", Units.bytes("--kernel-memory", kernelMemory));
        }
        if (memory != null) {
            u.put("Memory", Units.bytes("--memory", memory));
        }
        if (memoryReservation != null) {
            u.put("MemoryReservation", Units.bytes("--memory-reservation", memoryReservation));
        }
        if (memorySwap != null) {
            u.put("MemorySwap", Units.bytesOrUnlimited("--memory-swap", memorySwap));
        }
        if (pidsLimit != null) {
            u.put("PidsLimit", pidsLimit);
        }
        if (restart != null) {
            u.put("RestartPolicy", ContainerOptions.restart(restart));
        }
        return u;
    }
}
