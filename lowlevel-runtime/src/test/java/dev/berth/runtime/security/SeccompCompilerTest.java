package dev.berth.runtime.security;

import dev.berth.runtime.spec.Linux;
import dev.berth.runtime.spec.SpecException;
import dev.berth.sys.LibSeccomp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static dev.berth.runtime.security.Bpf.AUDIT_ARCH_I386;
import static dev.berth.runtime.security.Bpf.AUDIT_ARCH_X86_64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class SeccompCompilerTest {
    private static final int ALLOW = 0x7fff0000;
    private static final int KILL_THREAD = 0;
    private static final int ERRNO_EPERM = 0x00050001;
    // x86_64 syscall numbers
    private static final int NR_MKDIR = 83;
    private static final int NR_GETPID = 39;
    private static final int NR_KILL = 62;
    private static final int X32_BIT = 0x40000000;
    // i386 syscall numbers
    private static final int NR_I386_MKDIR = 39;
    private static final int NR_I386_GETPID = 20;

    private final SeccompCompiler compiler = new SeccompCompiler(LibSeccomp.load());

    private static Linux.Seccomp profile(String defaultAction, Long defaultErrnoRet, List<String> archs,
                                         List<String> flags, Linux.Syscall... syscalls) {
        return new Linux.Seccomp(defaultAction, defaultErrnoRet, archs, flags, "", "", List.of(syscalls));
    }

    private static Linux.Seccomp allowAllBut(Linux.Syscall... syscalls) {
        return profile("SCMP_ACT_ALLOW", null, List.of("SCMP_ARCH_X86_64"), List.of(), syscalls);
    }

    private static Linux.Syscall rule(String action, String... names) {
        return new Linux.Syscall(List.of(names), action, null, List.of());
    }

    private Bpf compiled(Linux.Seccomp profile) {
        return new Bpf(compiler.compile(profile).program());
    }

    private static void assumeX86_64() {
        assumeTrue(System.getProperty("os.arch").equals("amd64"), "syscall numbers below are x86_64's");
    }

    @Test
    void compile_errnoRule_programIsWholeInstructions() {
        CompiledSeccomp compiled = compiler.compile(allowAllBut(rule("SCMP_ACT_ERRNO", "mkdir")));

        assertTrue(compiled.program().length > 0);
        assertEquals(0, compiled.program().length % 8);
        assertEquals(compiled.program().length / 8, compiled.instructions());
        assertEquals(0, compiled.flags());
    }

    @Test
    void compile_mkdirErrno_deniesMkdirAllowsGetpid() {
        assumeX86_64();
        Bpf bpf = compiled(allowAllBut(rule("SCMP_ACT_ERRNO", "mkdir")));

        assertEquals(ERRNO_EPERM, bpf.run(Bpf.data(AUDIT_ARCH_X86_64, NR_MKDIR)));
        assertEquals(ALLOW, bpf.run(Bpf.data(AUDIT_ARCH_X86_64, NR_GETPID)));
    }

    @Test
    void compile_architectureNotInFilter_killed() {
        assumeX86_64();
        Bpf bpf = compiled(allowAllBut(rule("SCMP_ACT_ERRNO", "mkdir")));

        assertEquals(KILL_THREAD, bpf.run(Bpf.data(AUDIT_ARCH_I386, NR_I386_GETPID)));
        assertEquals(KILL_THREAD, bpf.run(Bpf.data(AUDIT_ARCH_X86_64, NR_MKDIR | X32_BIT)));
    }

    @Test
    void compile_extraArchitectures_ruleCoversEach() {
        assumeX86_64();
        Bpf bpf = compiled(profile("SCMP_ACT_ALLOW", null,
                List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"), List.of(),
                rule("SCMP_ACT_ERRNO", "mkdir")));

        assertEquals(ERRNO_EPERM, bpf.run(Bpf.data(AUDIT_ARCH_X86_64, NR_MKDIR)));
        assertEquals(ERRNO_EPERM, bpf.run(Bpf.data(AUDIT_ARCH_I386, NR_I386_MKDIR)));
        assertEquals(ERRNO_EPERM, bpf.run(Bpf.data(AUDIT_ARCH_X86_64, NR_MKDIR | X32_BIT)));
        assertEquals(ALLOW, bpf.run(Bpf.data(AUDIT_ARCH_I386, NR_I386_GETPID)));
        assertEquals(ALLOW, bpf.run(Bpf.data(AUDIT_ARCH_X86_64, NR_GETPID | X32_BIT)));
    }

    @Test
    void compile_defaultErrnoRetWithAllowList_deniesTheRestWithIt() {
        assumeX86_64();
        Bpf bpf = compiled(profile("SCMP_ACT_ERRNO", 38L, List.of(), List.of(), rule("SCMP_ACT_ALLOW", "getpid")));

        assertEquals(ALLOW, bpf.run(Bpf.data(AUDIT_ARCH_X86_64, NR_GETPID)));
        assertEquals(0x00050000 | 38, bpf.run(Bpf.data(AUDIT_ARCH_X86_64, NR_MKDIR)));
    }

    @ParameterizedTest
    @CsvSource({
            "SCMP_ACT_KILL, , 0x00000000",
            "SCMP_ACT_KILL_THREAD, , 0x00000000",
            "SCMP_ACT_KILL_PROCESS, , 0x80000000",
            "SCMP_ACT_TRAP, , 0x00030000",
            "SCMP_ACT_ERRNO, , 0x00050001",
            "SCMP_ACT_ERRNO, 13, 0x0005000d",
            "SCMP_ACT_TRACE, , 0x7ff00001",
            "SCMP_ACT_TRACE, 7, 0x7ff00007",
            "SCMP_ACT_LOG, , 0x7ffc0000",
    })
    void compile_eachAction_returnsItsKernelValue(String action, Long errnoRet, String expected) {
        assumeX86_64();
        Bpf bpf = compiled(allowAllBut(new Linux.Syscall(List.of("mkdir"), action, errnoRet, List.of())));

        assertEquals(Integer.parseUnsignedInt(expected.substring(2), 16),
                bpf.run(Bpf.data(AUDIT_ARCH_X86_64, NR_MKDIR)));
        assertEquals(ALLOW, bpf.run(Bpf.data(AUDIT_ARCH_X86_64, NR_GETPID)));
    }

    @ParameterizedTest(name = "{0} {1} {2} on {3}")
    @CsvSource({
            "SCMP_CMP_EQ, 9, 0, 9, true",
            "SCMP_CMP_EQ, 9, 0, 10, false",
            "SCMP_CMP_EQ, 4294967305, 0, 9, false", // 2^32 + 9: the high word counts
            "SCMP_CMP_EQ, 4294967305, 0, 4294967305, true",
            "SCMP_CMP_NE, 9, 0, 9, false",
            "SCMP_CMP_NE, 9, 0, 4294967305, true",
            "SCMP_CMP_LT, 9, 0, 8, true",
            "SCMP_CMP_LT, 9, 0, 9, false",
            "SCMP_CMP_LE, 9, 0, 9, true",
            "SCMP_CMP_LE, 9, 0, 10, false",
            "SCMP_CMP_GT, 9, 0, 10, true",
            "SCMP_CMP_GT, 9, 0, 9, false",
            "SCMP_CMP_GT, 9, 0, 4294967296, true",
            "SCMP_CMP_GE, 9, 0, 9, true",
            "SCMP_CMP_GE, 9, 0, 8, false",
            "SCMP_CMP_MASKED_EQ, 255, 15, 271, true", // (0x10f & 0xff) == 0x0f
            "SCMP_CMP_MASKED_EQ, 255, 15, 14, false",
    })
    void compile_argumentOperator_matchesAsLibseccompDefines(String op, long value, long valueTwo, long arg,
                                                            boolean denied) {
        assumeX86_64();
        Bpf bpf = compiled(allowAllBut(new Linux.Syscall(List.of("kill"), "SCMP_ACT_ERRNO", null,
                List.of(new Linux.SyscallArg(1, value, valueTwo, op)))));

        assertEquals(denied ? ERRNO_EPERM : ALLOW, bpf.run(Bpf.data(AUDIT_ARCH_X86_64, NR_KILL, 1, arg)));
    }

    @Test
    void compile_conditionsOnDifferentArguments_allMustMatch() {
        assumeX86_64();
        Bpf bpf = compiled(allowAllBut(new Linux.Syscall(List.of("kill"), "SCMP_ACT_ERRNO", null, List.of(
                new Linux.SyscallArg(0, 1, 0, "SCMP_CMP_EQ"), new Linux.SyscallArg(1, 9, 0, "SCMP_CMP_EQ")))));

        assertEquals(ERRNO_EPERM, bpf.run(Bpf.data(AUDIT_ARCH_X86_64, NR_KILL, 1, 9)));
        assertEquals(ALLOW, bpf.run(Bpf.data(AUDIT_ARCH_X86_64, NR_KILL, 2, 9)));
        assertEquals(ALLOW, bpf.run(Bpf.data(AUDIT_ARCH_X86_64, NR_KILL, 1, 15)));
    }

    @Test
    void compile_conditionsOnTheSameArgument_eachIsItsOwnRule() {
        assumeX86_64();
        Bpf bpf = compiled(allowAllBut(new Linux.Syscall(List.of("kill"), "SCMP_ACT_ERRNO", null, List.of(
                new Linux.SyscallArg(1, 9, 0, "SCMP_CMP_EQ"), new Linux.SyscallArg(1, 15, 0, "SCMP_CMP_EQ")))));

        assertEquals(ERRNO_EPERM, bpf.run(Bpf.data(AUDIT_ARCH_X86_64, NR_KILL, 1, 9)));
        assertEquals(ERRNO_EPERM, bpf.run(Bpf.data(AUDIT_ARCH_X86_64, NR_KILL, 1, 15)));
        assertEquals(ALLOW, bpf.run(Bpf.data(AUDIT_ARCH_X86_64, NR_KILL, 1, 1)));
    }

    @Test
    void compile_manyRules_binaryTreeStillMatchesEach() {
        assumeX86_64();
        // x86_64 numbers 0..59 are contiguous, well-known syscalls; deny the even ones
        String[] names = {"read", "write", "open", "close", "stat", "fstat", "lstat", "poll", "lseek", "mmap",
                "mprotect", "munmap", "brk", "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "ioctl", "pread64",
                "pwrite64", "readv", "writev", "access", "pipe", "select", "sched_yield", "mremap", "msync",
                "mincore", "madvise", "shmget", "shmat", "shmctl", "dup", "dup2", "pause", "nanosleep",
                "getitimer", "alarm", "setitimer", "getpid", "sendfile", "socket", "connect", "accept", "sendto",
                "recvfrom", "sendmsg", "recvmsg", "shutdown", "bind", "listen", "getsockname", "getpeername",
                "socketpair", "setsockopt", "getsockopt", "clone", "fork", "vfork", "execve"};
        List<Linux.Syscall> rules = new ArrayList<>();
        for (int nr = 0; nr < names.length; nr += 2) {
            rules.add(rule("SCMP_ACT_ERRNO", names[nr]));
        }
        rules.add(rule("SCMP_ACT_KILL_PROCESS", "mkdir"));
        Bpf bpf = compiled(allowAllBut(rules.toArray(Linux.Syscall[]::new)));

        for (int nr = 0; nr < names.length; nr++) {
            assertEquals(nr % 2 == 0 ? ERRNO_EPERM : ALLOW, bpf.run(Bpf.data(AUDIT_ARCH_X86_64, nr)), names[nr]);
        }
        assertEquals(0x80000000, bpf.run(Bpf.data(AUDIT_ARCH_X86_64, NR_MKDIR)));
        assertEquals(ALLOW, bpf.run(Bpf.data(AUDIT_ARCH_X86_64, 200)));
    }

    @Test
    void compile_unknownSyscallName_skipped() {
        assumeX86_64();
        Bpf bpf = compiled(allowAllBut(rule("SCMP_ACT_ERRNO", "no_such_syscall_berth", "mkdir"),
                rule("SCMP_ACT_KILL", "another_unknown_one")));

        assertEquals(ERRNO_EPERM, bpf.run(Bpf.data(AUDIT_ARCH_X86_64, NR_MKDIR)));
        assertEquals(ALLOW, bpf.run(Bpf.data(AUDIT_ARCH_X86_64, NR_GETPID)));
    }

    @Test
    void compile_ruleWithTheDefaultAction_skipped() {
        assumeX86_64();
        Bpf bpf = compiled(allowAllBut(rule("SCMP_ACT_ALLOW", "getpid"), rule("SCMP_ACT_ERRNO", "mkdir")));

        assertEquals(ALLOW, bpf.run(Bpf.data(AUDIT_ARCH_X86_64, NR_GETPID)));
        assertEquals(ERRNO_EPERM, bpf.run(Bpf.data(AUDIT_ARCH_X86_64, NR_MKDIR)));
    }

    @Test
    void compile_flags_mappedToSeccompBits() {
        CompiledSeccomp compiled = compiler.compile(profile("SCMP_ACT_ALLOW", null, List.of(),
                List.of("SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"),
                rule("SCMP_ACT_ERRNO", "mkdir")));

        assertEquals(1 | 2 | 4, compiled.flags());
    }

    @Test
    void compile_refusingDefault_newerSyscallsGetEnosys() {
        assumeX86_64();
        int enosys = 0x00050000 | 38;
        Bpf bpf = compiled(profile("SCMP_ACT_ERRNO", null,
                List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"), List.of(),
                rule("SCMP_ACT_ALLOW", "getpid", "mkdir")));

        // x86_64: the profile's last syscall is mkdir (83)
        assertEquals(ALLOW, bpf.run(Bpf.data(AUDIT_ARCH_X86_64, NR_MKDIR)));
        assertEquals(ERRNO_EPERM, bpf.run(Bpf.data(AUDIT_ARCH_X86_64, 50)));
        assertEquals(enosys, bpf.run(Bpf.data(AUDIT_ARCH_X86_64, 84)));
        assertEquals(enosys, bpf.run(Bpf.data(AUDIT_ARCH_X86_64, 435)));
        // i386: mkdir is 39
        assertEquals(ALLOW, bpf.run(Bpf.data(AUDIT_ARCH_I386, NR_I386_MKDIR)));
        assertEquals(ERRNO_EPERM, bpf.run(Bpf.data(AUDIT_ARCH_I386, 30)));
        assertEquals(enosys, bpf.run(Bpf.data(AUDIT_ARCH_I386, 40)));
        // x32: x86_64's numbers with bit 30
        assertEquals(ALLOW, bpf.run(Bpf.data(AUDIT_ARCH_X86_64, NR_MKDIR | X32_BIT)));
        assertEquals(ERRNO_EPERM, bpf.run(Bpf.data(AUDIT_ARCH_X86_64, 50 | X32_BIT)));
        assertEquals(enosys, bpf.run(Bpf.data(AUDIT_ARCH_X86_64, 435 | X32_BIT)));
        // an architecture the profile does not list still gets libseccomp's bad-arch action
        assertEquals(KILL_THREAD, bpf.run(Bpf.data(Bpf.AUDIT_ARCH_AARCH64, 435)));
    }

    @Test
    void compile_refusingDefaultWithoutX32_x32CallsGoToTheFilter() {
        assumeX86_64();
        Bpf bpf = compiled(profile("SCMP_ACT_ERRNO", null, List.of("SCMP_ARCH_X86_64"), List.of(),
                rule("SCMP_ACT_ALLOW", "getpid", "mkdir")));

        assertEquals(0x00050000 | 38, bpf.run(Bpf.data(AUDIT_ARCH_X86_64, 435)));
        assertEquals(KILL_THREAD, bpf.run(Bpf.data(AUDIT_ARCH_X86_64, 435 | X32_BIT)));
    }

    @Test
    void compile_enosysDefault_noStubNeeded() {
        assumeX86_64();
        Bpf bpf = compiled(profile("SCMP_ACT_ERRNO", 38L, List.of("SCMP_ARCH_X86_64"), List.of(),
                rule("SCMP_ACT_ALLOW", "getpid")));

        assertEquals(0x00050000 | 38, bpf.run(Bpf.data(AUDIT_ARCH_X86_64, 435)));
        assertEquals(0x00050000 | 38, bpf.run(Bpf.data(AUDIT_ARCH_X86_64, 20)));
    }

    @Test
    void compile_allowDefault_newerSyscallsAllowed() {
        assumeX86_64();
        Bpf bpf = compiled(allowAllBut(rule("SCMP_ACT_ERRNO", "mkdir")));

        assertEquals(ALLOW, bpf.run(Bpf.data(AUDIT_ARCH_X86_64, 435)));
    }

    @Test
    void compile_unknownAction_errorNamesIt() {
        SpecException e = assertThrows(SpecException.class,
                () -> compiler.compile(allowAllBut(rule("SCMP_ACT_BOGUS", "mkdir"))));

        assertEquals("seccomp syscalls[0] mkdir: unknown seccomp action SCMP_ACT_BOGUS", e.getMessage());
    }

    @Test
    void compile_unknownDefaultAction_errorNamesIt() {
        SpecException e = assertThrows(SpecException.class,
                () -> compiler.compile(profile("SCMP_ACT_NOPE", null, List.of(), List.of())));

        assertEquals("seccomp defaultAction: unknown seccomp action SCMP_ACT_NOPE", e.getMessage());
    }

    @Test
    void compile_unknownOperator_errorNamesIt() {
        SpecException e = assertThrows(SpecException.class, () -> compiler.compile(allowAllBut(
                new Linux.Syscall(List.of("kill"), "SCMP_ACT_ERRNO", null,
                        List.of(new Linux.SyscallArg(0, 1, 0, "SCMP_CMP_SORTOF"))))));

        assertTrue(e.getMessage().contains("unknown seccomp operator SCMP_CMP_SORTOF"), e.getMessage());
    }

    @Test
    void compile_notifyAction_notSupported() {
        SpecException e = assertThrows(SpecException.class,
                () -> compiler.compile(allowAllBut(rule("SCMP_ACT_NOTIFY", "connect"))));

        assertTrue(e.getMessage().startsWith("seccomp syscalls[0] connect: SCMP_ACT_NOTIFY is not supported"),
                e.getMessage());
    }

    @Test
    void compile_errnoRetOnAllow_rejected() {
        SpecException e = assertThrows(SpecException.class, () -> compiler.compile(profile(
                "SCMP_ACT_ALLOW", 1L, List.of(), List.of())));

        assertEquals("seccomp defaultAction: errnoRet is not supported by action SCMP_ACT_ALLOW", e.getMessage());
    }

    @Test
    void compile_unknownArchitecture_errorNamesIt() {
        SpecException e = assertThrows(SpecException.class, () -> compiler.compile(profile(
                "SCMP_ACT_ALLOW", null, List.of("SCMP_ARCH_VAX"), List.of(), rule("SCMP_ACT_ERRNO", "mkdir"))));

        assertEquals("seccomp architectures: unknown architecture SCMP_ARCH_VAX", e.getMessage());
    }

    @Test
    void compile_unknownFlag_errorNamesIt() {
        SpecException e = assertThrows(SpecException.class, () -> compiler.compile(profile(
                "SCMP_ACT_ALLOW", null, List.of(), List.of("SECCOMP_FILTER_FLAG_FAST"))));

        assertEquals("seccomp flags: unknown or unsupported flag SECCOMP_FILTER_FLAG_FAST", e.getMessage());
    }

    @Test
    void compile_argumentIndexOutOfRange_rejected() {
        SpecException e = assertThrows(SpecException.class, () -> compiler.compile(allowAllBut(
                new Linux.Syscall(List.of("kill"), "SCMP_ACT_ERRNO", null,
                        List.of(new Linux.SyscallArg(6, 1, 0, "SCMP_CMP_EQ"))))));

        assertTrue(e.getMessage().contains("argument index 6"), e.getMessage());
    }
}
