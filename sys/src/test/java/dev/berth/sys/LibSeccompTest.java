package dev.berth.sys;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class LibSeccompTest {
    private final LibSeccomp lib = LibSeccomp.load();

    @Test
    void version_isDotted() {
        assertTrue(lib.version().matches("2\\.\\d+\\.\\d+"), lib.version());
    }

    @Test
    void resolveSyscall_knownAndUnknown() {
        assumeTrue(System.getProperty("os.arch").equals("amd64"));

        assertEquals(OptionalInt.of(83), lib.resolveSyscall("mkdir"));
        assertEquals(OptionalInt.empty(), lib.resolveSyscall("no_such_syscall_berth"));
    }

    @Test
    void resolveArch_knownAndUnknown() {
        assertEquals(OptionalInt.of(0xc000003e), lib.resolveArch("x86_64"));
        assertEquals(OptionalInt.of(0x40000003), lib.resolveArch("x86"));
        assertEquals(OptionalInt.empty(), lib.resolveArch("vax"));
    }

    @Test
    void addArch_native_reportsAlreadyPresent() {
        try (LibSeccomp.Filter filter = lib.newFilter(LibSeccomp.ACT_ALLOW)) {
            assertFalse(filter.addArch(lib.nativeArch(), "native"));
            assertTrue(filter.addArch(lib.resolveArch("aarch64").orElseThrow(), "SCMP_ARCH_AARCH64"));
        }
    }

    @Test
    void addRule_badArgument_errorNamesCallAndSyscall() {
        try (LibSeccomp.Filter filter = lib.newFilter(LibSeccomp.ACT_ALLOW)) {
            int mkdir = lib.resolveSyscall("mkdir").orElseThrow();
            LibSeccomp.LibSeccompException e = assertThrows(LibSeccomp.LibSeccompException.class,
                    () -> filter.addRule(LibSeccomp.actErrno(1), mkdir, "mkdir",
                            List.of(new LibSeccomp.ArgCmp(9, LibSeccomp.CMP_EQ, 0, 0))));

            assertEquals("seccomp_rule_add mkdir: invalid argument", e.getMessage());
            assertEquals(22, e.errno());
        }
    }

    @Test
    void newFilter_invalidDefaultAction_error() {
        LibSeccomp.LibSeccompException e = assertThrows(LibSeccomp.LibSeccompException.class,
                () -> lib.newFilter(0x12345678));

        assertEquals("seccomp_init 0x12345678: invalid default action", e.getMessage());
    }

    @Test
    void exportBpf_emptyFilter_wholeInstructions() {
        try (LibSeccomp.Filter filter = lib.newFilter(LibSeccomp.ACT_ALLOW)) {
            byte[] program = filter.exportBpf();

            assertTrue(program.length >= 8);
            assertEquals(0, program.length % 8);
        }
    }

    @Test
    void close_twice_isHarmless() {
        LibSeccomp.Filter filter = lib.newFilter(LibSeccomp.ACT_ALLOW);
        filter.close();
        filter.close();

        assertThrows(IllegalStateException.class, filter::exportBpf);
    }
}
