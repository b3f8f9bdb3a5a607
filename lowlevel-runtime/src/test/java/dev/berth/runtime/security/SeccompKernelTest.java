package dev.berth.runtime.security;

import dev.berth.runtime.spec.Linux;
import dev.berth.sys.LibSeccomp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Loads compiled programs into the kernel in a small C process and checks what its syscalls return. */
class SeccompKernelTest {
    private static final int EPERM = 1;
    private static final int ENOSYS = 38;

    @TempDir
    static Path dir;
    private static Path probe;

    private final SeccompCompiler compiler = new SeccompCompiler(LibSeccomp.load());

    @BeforeAll
    static void buildProbe() throws IOException, InterruptedException {
        assumeTrue(System.getProperty("os.arch").equals("amd64"), "the profiles below name x86_64 syscalls");
        Path source = dir.resolve("seccomp-probe.c");
        try (InputStream in = SeccompKernelTest.class.getResourceAsStream("seccomp-probe.c")) {
            Files.write(source, in.readAllBytes());
        }
        probe = dir.resolve("seccomp-probe");
        Process gcc;
        try {
            gcc = new ProcessBuilder("gcc", "-O2", "-Wall", "-Werror", "-o", probe.toString(), source.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "gcc is not available: " + e.getMessage());
            return;
        }
        String out = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(gcc.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, gcc.exitValue(), out);
    }

    private String run(CompiledSeccomp compiled, Path target) throws IOException, InterruptedException {
        Path program = Files.write(Files.createTempFile(dir, "program", ".bpf"), compiled.program());
        Process p = new ProcessBuilder(probe.toString(), program.toString(), Integer.toString(compiled.flags()),
                target.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void load_mkdirErrno_kernelRefusesMkdirOnly() throws IOException, InterruptedException {
        CompiledSeccomp compiled = compiler.compile(new Linux.Seccomp("SCMP_ACT_ALLOW", null,
                List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"), List.of("SECCOMP_FILTER_FLAG_LOG"),
                "", "", List.of(new Linux.Syscall(List.of("mkdir", "mkdirat"), "SCMP_ACT_ERRNO", null, List.of()))));
        Path target = dir.resolve("denied");

        String out = run(compiled, target);

        assertTrue(out.startsWith("mkdir=" + EPERM + " getpid=0 "), out);
        assertFalse(Files.exists(target));
    }

    @Test
    void load_allowList_newerSyscallGetsEnosys() throws IOException, InterruptedException {
        List<String> allowed = List.of("mkdir", "mkdirat", "getpid", "write", "exit", "exit_group", "fstat",
                "newfstatat", "brk", "mmap", "munmap", "close");
        CompiledSeccomp compiled = compiler.compile(new Linux.Seccomp("SCMP_ACT_ERRNO", null,
                List.of("SCMP_ARCH_X86_64"), List.of(), "", "",
                List.of(new Linux.Syscall(allowed, "SCMP_ACT_ALLOW", null, List.of()))));
        Path target = dir.resolve("allowed");

        String out = run(compiled, target);

        assertEquals("mkdir=0 getpid=0 clone3=" + ENOSYS, out);
        assertTrue(Files.isDirectory(target));
    }
}
