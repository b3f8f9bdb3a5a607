package dev.berth.it.support;

import java.util.Collection;
import java.util.List;

/** Linux capability names in kernel bit order ({@code linux/capability.h}), to compute /proc status masks. */
public final class Capabilities {
    private Capabilities() {}

    public static final List<String> NAMES = List.of(
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
            "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
            "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
            "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
            "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
            "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN",
            "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
            "CAP_CHECKPOINT_RESTORE");

    /** The bit mask of a set of capability names, as {@code CapEff:} and friends print it (hex). */
    public static long mask(Collection<String> names) {
        long m = 0;
        for (String n : names) {
            int bit = NAMES.indexOf(n);
            if (bit < 0) {
                throw new IllegalArgumentException("unknown capability " + n);
            }
            m |= 1L << bit;
        }
        return m;
    }

    /** Parses a {@code CapXxx:} value from /proc/pid/status. */
    public static long parse(String hex) {
        return Long.parseUnsignedLong(hex.strip(), 16);
    }

    /** Names in a mask, for readable failure messages. */
    public static List<String> names(long mask) {
        return NAMES.stream().filter(n -> (mask & (1L << NAMES.indexOf(n))) != 0).toList();
    }
}
