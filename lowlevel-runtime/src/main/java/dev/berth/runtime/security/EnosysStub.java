package dev.berth.runtime.security;

import dev.berth.sys.LibSeccomp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The prefix runc puts before libseccomp's program ({@code libcontainer/seccomp/patchbpf}): a syscall numbered above
 * every syscall the profile names, on an architecture the profile lists, fails with ENOSYS instead of the default
 * action. Such a syscall is newer than the profile, and ENOSYS is what makes a C library fall back to an older call
 * (glibc's clone3 to clone) where EPERM would be taken as a refusal.
 *
 * <p>Added only when the default action refuses (not ALLOW, LOG or TRACE, and not already ERRNO(ENOSYS)).
 * Layout: load the arch; jump to its section; a section loads the syscall number and returns ENOSYS when it is above
 * that arch's last known one (on x86_64 the x32 bit picks which last one); everything else runs on into libseccomp's
 * program, which starts over with its own arch check.
 */
final class EnosysStub {
    private static final int ENOSYS = 38;
    private static final int SECCOMP_DATA_NR = 0;
    private static final int SECCOMP_DATA_ARCH = 4;
    private static final int AUDIT_ARCH_X86_64 = 0xc000003e;
    private static final int AUDIT_ARCH_S390 = 0x16;
    private static final int AUDIT_ARCH_S390X = 0x80000016;
    /** libseccomp's token for x32: not a kernel arch; x32 calls arrive as x86_64 with this bit in the number. */
    private static final int SCMP_ARCH_X32 = 0x4000003e;
    private static final int X32_SYSCALL_BIT = 0x40000000;
    private static final int BPF_MAXINSNS = 4096;
    private static final String FILTER = "filter";
    private static final String ENOSYS_RET = "enosys";

    private EnosysStub() {}

    static boolean wanted(int defaultAction) {
        int kind = defaultAction & 0xffff0000;
        return kind != LibSeccomp.ACT_ALLOW && kind != LibSeccomp.ACT_LOG && kind != LibSeccomp.actTrace(0)
                && defaultAction != LibSeccomp.actErrno(ENOSYS);
    }

    /** The last syscall number per listed arch token, from the names the rules use; arches without one are left out. */
    static Map<Integer, Integer> lastSyscalls(LibSeccomp lib, List<Integer> archTokens, List<String> names) {
        Map<Integer, Integer> last = new LinkedHashMap<>();
        for (int arch : archTokens) {
            int max = 0;
            for (String name : names) {
                OptionalInt nr = lib.resolveSyscall(arch, name);
                if (nr.isPresent() && nr.getAsInt() > max) {
                    max = nr.getAsInt();
                }
            }
            if (max > 0) {
                last.put(arch, max);
            }
        }
        return last;
    }

    /** The stub followed by {@code program}. */
    static byte[] prepend(Map<Integer, Integer> lastByArchToken, byte[] program) {
        if (lastByArchToken.isEmpty()) {
            return program;
        }
        // Group by the kernel's arch value: x86_64 and x32 share AUDIT_ARCH_X86_64.
        Map<Integer, List<Integer>> byAuditArch = new LinkedHashMap<>();
        for (int token : lastByArchToken.keySet()) {
            int auditArch = token == SCMP_ARCH_X32 ? AUDIT_ARCH_X86_64 : token;
            byAuditArch.computeIfAbsent(auditArch, a -> new ArrayList<>()).add(token);
        }

        BpfAssembler asm = new BpfAssembler().loadWord(SECCOMP_DATA_ARCH);
        for (int auditArch : byAuditArch.keySet()) {
            asm.jumpIfEqual(auditArch, "arch" + auditArch, null);
        }
        asm.jump(FILTER);
        for (Map.Entry<Integer, List<Integer>> group : byAuditArch.entrySet()) {
            int auditArch = group.getKey();
            asm.label("arch" + auditArch).loadWord(SECCOMP_DATA_NR);
            if (auditArch == AUDIT_ARCH_S390 || auditArch == AUDIT_ARCH_S390X) {
                // s390 multiplexes unknown large numbers onto syscall 0, which nothing uses otherwise
                asm.jumpIfEqual(0, ENOSYS_RET, null);
            }
            if (auditArch == AUDIT_ARCH_X86_64) {
                Integer x86_64 = lastByArchToken.get(AUDIT_ARCH_X86_64);
                Integer x32 = lastByArchToken.get(SCMP_ARCH_X32);
                String x32Label = "x32";
                asm.jumpIfAnySet(X32_SYSCALL_BIT, x32 == null ? FILTER : x32Label, null);
                if (x86_64 == null) {
                    asm.jump(FILTER);
                } else {
                    asm.jumpIfGreater(x86_64, ENOSYS_RET, null).jump(FILTER);
                }
                if (x32 != null) {
                    asm.label(x32Label).jumpIfGreater(x32 | X32_SYSCALL_BIT, ENOSYS_RET, null).jump(FILTER);
                }
            } else {
                asm.jumpIfGreater(lastByArchToken.get(group.getValue().getFirst()), ENOSYS_RET, null).jump(FILTER);
            }
        }
        asm.label(ENOSYS_RET).ret(LibSeccomp.actErrno(ENOSYS));
        byte[] stub = asm.assemble(FILTER);
        if ((stub.length + program.length) / 8 > BPF_MAXINSNS) {
            throw new IllegalStateException("seccomp program of " + (stub.length + program.length) / 8
                    + " instructions: above the kernel's limit of " + BPF_MAXINSNS);
        }
        byte[] all = new byte[stub.length + program.length];
        System.arraycopy(stub, 0, all, 0, stub.length);
        System.arraycopy(program, 0, all, stub.length, program.length);
        return all;
    }
}
