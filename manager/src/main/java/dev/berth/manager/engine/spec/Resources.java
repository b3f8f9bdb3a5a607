package dev.berth.manager.engine.spec;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.errdefs.BerthException;
import dev.berth.model.HostConfig;
import dev.berth.model.Ulimit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * docker's resource options as the OCI spec's {@code linux.resources}, {@code process.rlimits} and
 * {@code linux.sysctl}, with docker's checks and its words for a bad value (moby {@code daemon/daemon_unix.go}
 * {@code verifyPlatformContainerResources}, {@code opts.ValidateSysctl}).
 */
final class Resources {
    /** docker's minimum {@code --memory}: 6 MB. */
    static final long MIN_MEMORY = 6L * 1024 * 1024;
    private static final long CPU_PERIOD = 100_000;
    private static final Set<String> ULIMITS = Set.of("as", "core", "cpu", "data", "fsize", "locks", "memlock",
            "msgqueue", "nice", "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack");
    /** The IPC namespace's sysctls docker allows (moby {@code opts/opts.go}). */
    private static final Set<String> IPC_SYSCTLS = Set.of("kernel.msgmax", "kernel.msgmnb", "kernel.msgmni",
            "kernel.sem", "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced");

    private Resources() {
    }

    static void apply(HostConfig h, ObjectNode resources) {
        memory(h, resources);
        cpu(h, resources);
        if (h.pidsLimit() != null && h.pidsLimit() > 0) {
            resources.putObject("pids").put("limit", h.pidsLimit());
        }
        if (h.blkioWeight() != null && h.blkioWeight() != 0) {
            if (h.blkioWeight() < 10 || h.blkioWeight() > 1000) {
                throw BerthException.invalidArgument("invalid --blkio-weight " + h.blkioWeight()
                        + ": range of blkio weight is from 10 to 1000");
            }
            resources.putObject("blockIO").put("weight", h.blkioWeight());
        }
    }

    private static void memory(HostConfig h, ObjectNode resources) {
        long memory = value(h.memory());
        long swap = value(h.memorySwap());
        long reservation = value(h.memoryReservation());
        if (memory > 0 && memory < MIN_MEMORY) {
            throw BerthException.invalidArgument("invalid --memory " + memory
                    + ": minimum memory limit allowed is 6MB");
        }
        if (swap > 0 && memory == 0) {
            throw BerthException.invalidArgument("invalid --memory-swap " + swap
                    + ": you should always set the memory limit when using memoryswap limit, see usage");
        }
        if (swap > 0 && swap < memory) {
            throw BerthException.invalidArgument("invalid --memory-swap " + swap
                    + ": minimum memoryswap limit should be larger than memory limit, see usage");
        }
        if (memory > 0 && reservation > memory) {
            throw BerthException.invalidArgument("invalid --memory-reservation " + reservation
                    + ": minimum memory limit can not be less than memory reservation limit, see usage");
        }
        Long swappiness = h.memorySwappiness();
        if (swappiness != null && swappiness != -1 && (swappiness < 0 || swappiness > 100)) {
            throw BerthException.invalidArgument("invalid --memory-swappiness " + swappiness
                    + ": valid memory swappiness range is 0-100");
        }
        boolean oomKillDisable = Boolean.TRUE.equals(h.oomKillDisable());
        if (memory == 0 && swap == 0 && reservation == 0 && !oomKillDisable
                && (swappiness == null || swappiness == -1)) {
            return;
        }
        ObjectNode m = resources.putObject("memory");
        if (memory > 0) {
            m.put("limit", memory);
        }
        if (reservation > 0) {
            m.put("reservation", reservation);
        }
        if (swap > 0 || swap == -1) {
            m.put("swap", swap);
        }
        if (swappiness != null && swappiness != -1) {
            m.put("swappiness", swappiness);
        }
        if (oomKillDisable) {
            m.put("disableOOMKiller", true);
        }
    }

    private static void cpu(HostConfig h, ObjectNode resources) {
        long nanoCpus = value(h.nanoCpus());
        long period = value(h.cpuPeriod());
        long quota = value(h.cpuQuota());
        if (nanoCpus > 0 && (period > 0 || quota > 0)) {
            throw BerthException.invalidArgument("invalid --cpus: conflicting options: nano cpus and cpu period"
                    + " or quota cannot both be set");
        }
        if (nanoCpus < 0) {
            throw BerthException.invalidArgument("invalid --cpus: range of cpus must be positive");
        }
        if (period != 0 && (period < 1000 || period > 1_000_000)) {
            throw BerthException.invalidArgument("invalid --cpu-period " + period
                    + ": cpu cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)");
        }
        if (quota > 0 && quota < 1000) {
            throw BerthException.invalidArgument("invalid --cpu-quota " + quota
                    + ": cpu cfs quota can not be less than 1ms (i.e. 1000)");
        }
        ObjectNode cpu = resources.objectNode();
        if (value(h.cpuShares()) > 0) {
            cpu.put("shares", h.cpuShares());
        }
        if (nanoCpus > 0) {
            cpu.put("period", CPU_PERIOD);
            cpu.put("quota", nanoCpus * CPU_PERIOD / 1_000_000_000L);
        }
        if (period > 0) {
            cpu.put("period", period);
        }
        if (quota != 0) {
            cpu.put("quota", quota);
        }
        cpuset("--cpuset-cpus", h.cpusetCpus()).ifPresent(c -> cpu.put("cpus", c));
        cpuset("--cpuset-mems", h.cpusetMems()).ifPresent(c -> cpu.put("mems", c));
        if (value(h.cpuRealtimePeriod()) > 0) {
            cpu.put("realtimePeriod", h.cpuRealtimePeriod());
        }
        if (value(h.cpuRealtimeRuntime()) > 0) {
            cpu.put("realtimeRuntime", h.cpuRealtimeRuntime());
        }
        if (!cpu.isEmpty()) {
            resources.set("cpu", cpu);
        }
    }

    /** A cpuset list ({@code 0-2,4}), checked for its form. */
    private static Optional<String> cpuset(String flag, String value) {
        if (value == null || value.isEmpty()) {
            return Optional.empty();
        }
        for (String range : value.split(",", -1)) {
            String[] ends = range.split("-", -1);
            boolean numbers = ends.length <= 2 && List.of(ends).stream().allMatch(e -> e.matches("[0-9]{1,5}"));
            if (!numbers || ends.length == 2 && Integer.parseInt(ends[0]) > Integer.parseInt(ends[1])) {
                throw BerthException.invalidArgument("invalid " + flag + " " + value + ": invalid value");
            }
        }
        return Optional.of(value);
    }

    /** {@code --ulimit}s as OCI rlimits ({@code RLIMIT_NOFILE}, …). */
    static void rlimits(List<Ulimit> ulimits, ObjectNode process) {
        if (ulimits.isEmpty()) {
            return;
        }
        ArrayNode rlimits = process.putArray("rlimits");
        for (Ulimit u : ulimits) {
            String name = u.name() == null ? "" : u.name().toLowerCase(Locale.ROOT);
            if (!ULIMITS.contains(name)) {
                throw BerthException.invalidArgument("invalid --ulimit " + u.name() + ": invalid ulimit type");
            }
            long soft = value(u.soft());
            long hard = u.hard() == null ? soft : u.hard();
            if (soft > hard && hard != -1) {
                throw BerthException.invalidArgument("invalid --ulimit " + name + "=" + soft + ":" + hard
                        + ": ulimit soft limit must be less than or equal to hard limit");
            }
            rlimits.addObject().put("type", "RLIMIT_" + name.toUpperCase(Locale.ROOT)).put("hard", hard)
                    .put("soft", soft);
        }
    }

    /**
     * {@code --sysctl}s docker allows: the IPC namespace's ({@code kernel.msg*}, {@code kernel.sem},
     * {@code kernel.shm*}, {@code fs.mqueue.*}) unless the IPC namespace is the host's, and {@code net.*} unless the
     * network namespace is the host's. Any other is refused, naming it.
     */
    static void sysctls(Map<String, String> sysctls, boolean hostIpc, boolean hostNetwork, ObjectNode linux) {
        if (sysctls.isEmpty()) {
            return;
        }
        ObjectNode out = linux.putObject("sysctl");
        for (Map.Entry<String, String> e : sysctls.entrySet()) {
            String key = e.getKey();
            boolean ipc = IPC_SYSCTLS.contains(key) || key.startsWith("fs.mqueue.");
            boolean net = key.startsWith("net.");
            if (!ipc && !net) {
                throw BerthException.invalidArgument("invalid --sysctl " + key + ": sysctl '" + key
                        + "' is not allowed (only the IPC and network namespaces' sysctls are)");
            }
            if (ipc && hostIpc) {
                throw BerthException.invalidArgument("invalid --sysctl " + key
                        + ": sysctl is not allowed when sharing the host's IPC namespace");
            }
            if (net && hostNetwork) {
                throw BerthException.invalidArgument("invalid --sysctl " + key
                        + ": sysctl is not allowed in the host's network namespace");
            }
            out.put(key, e.getValue());
        }
    }

    private static long value(Long value) {
        return value == null ? 0 : value;
    }
}
