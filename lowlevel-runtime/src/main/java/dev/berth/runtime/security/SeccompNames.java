package dev.berth.runtime.security;

import dev.berth.sys.LibSeccomp;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The spec's seccomp vocabulary (libseccomp's names) and what each name means to libseccomp and the kernel. */
final class SeccompNames {

    /** Actions by name; ERRNO and TRACE carry a 16-bit value added when a rule is compiled. */
    static final Map<String, Integer> ACTIONS = sorted(Map.of(
            "SCMP_ACT_KILL", LibSeccomp.ACT_KILL_THREAD,
            "SCMP_ACT_KILL_THREAD", LibSeccomp.ACT_KILL_THREAD,
            "SCMP_ACT_KILL_PROCESS", LibSeccomp.ACT_KILL_PROCESS,
            "SCMP_ACT_TRAP", LibSeccomp.ACT_TRAP,
            "SCMP_ACT_ERRNO", LibSeccomp.actErrno(0),
            "SCMP_ACT_TRACE", LibSeccomp.actTrace(0),
            "SCMP_ACT_ALLOW", LibSeccomp.ACT_ALLOW,
            "SCMP_ACT_LOG", LibSeccomp.ACT_LOG,
            "SCMP_ACT_NOTIFY", LibSeccomp.ACT_NOTIFY));

    static final Map<String, Integer> OPERATORS = sorted(Map.of(
            "SCMP_CMP_NE", LibSeccomp.CMP_NE,
            "SCMP_CMP_LT", LibSeccomp.CMP_LT,
            "SCMP_CMP_LE", LibSeccomp.CMP_LE,
            "SCMP_CMP_EQ", LibSeccomp.CMP_EQ,
            "SCMP_CMP_GE", LibSeccomp.CMP_GE,
            "SCMP_CMP_GT", LibSeccomp.CMP_GT,
            "SCMP_CMP_MASKED_EQ", LibSeccomp.CMP_MASKED_EQ));

    /**
     * The architectures the spec names, as libseccomp's own names for {@code seccomp_arch_resolve_name}; a libseccomp
     * too old for one (riscv64 before 2.5) resolves nothing and the profile fails naming it.
     */
    static final Map<String, String> ARCHITECTURES = sorted(Map.ofEntries(
            Map.entry("SCMP_ARCH_X86", "x86"),
            Map.entry("SCMP_ARCH_X86_64", "x86_64"),
            Map.entry("SCMP_ARCH_X32", "x32"),
            Map.entry("SCMP_ARCH_ARM", "arm"),
            Map.entry("SCMP_ARCH_AARCH64", "aarch64"),
            Map.entry("SCMP_ARCH_MIPS", "mips"),
            Map.entry("SCMP_ARCH_MIPS64", "mips64"),
            Map.entry("SCMP_ARCH_MIPS64N32", "mips64n32"),
            Map.entry("SCMP_ARCH_MIPSEL", "mipsel"),
            Map.entry("SCMP_ARCH_MIPSEL64", "mipsel64"),
            Map.entry("SCMP_ARCH_MIPSEL64N32", "mipsel64n32"),
            Map.entry("SCMP_ARCH_PPC", "ppc"),
            Map.entry("SCMP_ARCH_PPC64", "ppc64"),
            Map.entry("SCMP_ARCH_PPC64LE", "ppc64le"),
            Map.entry("SCMP_ARCH_S390", "s390"),
            Map.entry("SCMP_ARCH_S390X", "s390x"),
            Map.entry("SCMP_ARCH_PARISC", "parisc"),
            Map.entry("SCMP_ARCH_PARISC64", "parisc64"),
            Map.entry("SCMP_ARCH_RISCV64", "riscv64")));

    /**
     * Filter flags, as bits of {@code seccomp(2)}'s flags, in runc's order. {@code WAIT_KILLABLE_RECV} is left out:
     * it only means something with a seccomp agent, which Berth does not support.
     */
    static final List<String> FLAGS = List.of(
            "SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_LOG");

    private SeccompNames() {}

    static int flagBit(String flag) {
        return switch (flag) {
            case "SECCOMP_FILTER_FLAG_TSYNC" -> CompiledSeccomp.FLAG_TSYNC;
            case "SECCOMP_FILTER_FLAG_LOG" -> CompiledSeccomp.FLAG_LOG;
            case "SECCOMP_FILTER_FLAG_SPEC_ALLOW" -> CompiledSeccomp.FLAG_SPEC_ALLOW;
            default -> 0;
        };
    }

    private static <V> Map<String, V> sorted(Map<String, V> map) {
        return java.util.Collections.unmodifiableMap(new TreeMap<>(map));
    }
}
