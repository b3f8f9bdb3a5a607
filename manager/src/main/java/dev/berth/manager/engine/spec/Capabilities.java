package dev.berth.manager.engine.spec;

import dev.berth.api.errdefs.BerthException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * docker's capability rules (moby {@code oci/caps}): the default set, {@code --cap-add}/{@code --cap-drop} by name
 * with or without the {@code CAP_} prefix and {@code ALL}, and every capability for {@code --privileged}.
 */
final class Capabilities {
    /** Linux's capabilities by number, up to CAP_CHECKPOINT_RESTORE (Linux 5.9). */
    static final List<String> ALL = List.of(
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
            "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
            "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
            "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
            "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
            "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN",
            "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
            "CAP_CHECKPOINT_RESTORE");

    /** docker's default set (moby {@code oci/caps/defaults.go} {@code DefaultCapabilities}). */
    static final List<String> DEFAULT = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER",
            "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
            "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");

    private Capabilities() {
    }

    /**
     * The container's capabilities, in number order. {@code host} is every capability the host can give: a
     * privileged container gets all of them, and so does {@code --cap-add ALL}; an added capability the host
     * cannot give is left out, as docker leaves out those the kernel does not know. As moby's
     * {@code TweakCapabilities}: with {@code --cap-add ALL} the drops win, with {@code --cap-drop ALL} only the adds
     * remain, otherwise the defaults lose the drops and gain the adds.
     */
    static List<String> effective(boolean privileged, List<String> add, List<String> drop, List<String> host) {
        if (privileged) {
            return host;
        }
        List<String> adds = normalized(add, "--cap-add");
        List<String> drops = normalized(drop, "--cap-drop");
        List<String> wanted;
        if (adds.contains("ALL")) {
            wanted = host.stream().filter(cap -> !drops.contains(cap)).toList();
        } else if (drops.contains("ALL")) {
            wanted = adds;
        } else {
            wanted = new ArrayList<>(DEFAULT.stream().filter(cap -> !drops.contains(cap)).toList());
            wanted.addAll(adds);
        }
        return ALL.stream().filter(wanted::contains).filter(host::contains).toList();
    }

    /** Upper case with the CAP_ prefix, ALL as itself; an unknown name is an error naming the flag and the name. */
    private static List<String> normalized(List<String> names, String flag) {
        List<String> out = new ArrayList<>();
        for (String name : names == null ? List.<String>of() : names) {
            String upper = name.trim().toUpperCase(Locale.ROOT);
            String cap = upper.equals("ALL") || upper.startsWith("CAP_") ? upper : "CAP_" + upper;
            if (!cap.equals("ALL") && !ALL.contains(cap)) {
                throw BerthException.invalidArgument(flag + ": unknown capability: \"" + name + "\"");
            }
            out.add(cap);
        }
        return out;
    }
}
