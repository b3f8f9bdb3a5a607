package dev.berth.runtime.security;

import dev.berth.runtime.spec.Spec;
import dev.berth.runtime.spec.SpecException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Linux capability names ({@code CAP_NET_RAW}, as the spec writes them) and their numbers, and the spec's five
 * capability sets as the 64-bit masks berth-init's IDENTITY step takes.
 *
 * <p>A name no kernel knows is an error ({@code unknown capability}); a known capability above the running kernel's
 * last one ({@code /proc/sys/kernel/cap_last_cap}) is left out without a word, as runc does, so one config.json works
 * on older kernels.
 */
public final class Capabilities {

    /** Every capability up to CAP_CHECKPOINT_RESTORE (Linux 5.9), indexed by number. */
    private static final List<String> NAMES = List.of(
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
            "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
            "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
            "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
            "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
            "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN",
            "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
            "CAP_CHECKPOINT_RESTORE");

    /** The highest capability number Berth knows. */
    public static final int LAST_KNOWN = NAMES.size() - 1;

    private static final Path CAP_LAST_CAP = Path.of("/proc/sys/kernel/cap_last_cap");

    private Capabilities() {}

    /** The five sets as bit masks over capability numbers. */
    public record Masks(long bounding, long effective, long inheritable, long permitted, long ambient) {
        public static final Masks NONE = new Masks(0, 0, 0, 0, 0);
    }

    /** Every capability name Berth knows, in number order (what {@code features} lists). */
    public static List<String> known() {
        return NAMES;
    }

    /** The number of a capability; an unknown name is an error naming it. */
    public static int number(String name) {
        int nr = NAMES.indexOf(name);
        if (nr < 0) {
            throw new SpecException("unknown capability \"" + name + "\"");
        }
        return nr;
    }

    public static String name(int number) {
        if (number < 0 || number > LAST_KNOWN) {
            throw new IllegalArgumentException("capability number " + number + " is out of range 0-" + LAST_KNOWN);
        }
        return NAMES.get(number);
    }

    /** The mask of the named capabilities, leaving out those above {@code lastCap}. */
    public static long mask(List<String> names, int lastCap) {
        long mask = 0;
        for (String name : names) {
            int nr = number(name);
            if (nr <= lastCap) {
                mask |= 1L << nr;
            }
        }
        return mask;
    }

    /** The spec's sets as masks for a kernel whose last capability is {@code lastCap}; null (no section) is none. */
    public static Masks masks(Spec.Capabilities caps, int lastCap) {
        if (caps == null) {
            return Masks.NONE;
        }
        return new Masks(mask(caps.bounding(), lastCap), mask(caps.effective(), lastCap),
                mask(caps.inheritable(), lastCap), mask(caps.permitted(), lastCap), mask(caps.ambient(), lastCap));
    }

    /** The running kernel's last capability, from {@code /proc/sys/kernel/cap_last_cap}. */
    public static int kernelLastCap() throws IOException {
        return readLastCap(CAP_LAST_CAP);
    }

    static int readLastCap(Path file) throws IOException {
        // Not Files.readString: on JDK 25 it returns "4" for this size-0 proc file holding "40\n".
        String text;
        try (InputStream in = Files.newInputStream(file)) {
            text = new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
        }
        try {
            int last = Integer.parseInt(text);
            if (last < 0 || last > 63) {
                throw new NumberFormatException(text);
            }
            return last;
        } catch (NumberFormatException e) {
            throw new IOException("read " + file + ": not a capability number: " + text);
        }
    }
}
