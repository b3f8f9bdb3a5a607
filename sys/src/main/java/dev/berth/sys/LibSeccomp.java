package dev.berth.sys;

import java.util.List;
import java.util.OptionalInt;

/**
 * The libseccomp calls that turn a seccomp profile into a BPF program; {@link #load()} binds
 * {@code libseccomp.so.2} on first use, so a container without seccomp never loads it.
 *
 * <p>The constants are libseccomp's ABI ({@code seccomp.h}): actions are {@code SCMP_ACT_*}, operators
 * {@code SCMP_CMP_*}. Every failure is a {@link LibSeccompException} naming the call and its object.
 */
public interface LibSeccomp {

    int ACT_KILL_PROCESS = 0x80000000;
    int ACT_KILL_THREAD = 0x00000000;
    int ACT_TRAP = 0x00030000;
    int ACT_NOTIFY = 0x7fc00000;
    int ACT_LOG = 0x7ffc0000;
    int ACT_ALLOW = 0x7fff0000;

    int CMP_NE = 1;
    int CMP_LT = 2;
    int CMP_LE = 3;
    int CMP_EQ = 4;
    int CMP_GE = 5;
    int CMP_GT = 6;
    int CMP_MASKED_EQ = 7;

    /** {@code SCMP_ACT_ERRNO(errno)}: the syscall fails with {@code errno} (16 bits). */
    static int actErrno(int errno) {
        return 0x00050000 | (errno & 0xffff);
    }

    /** {@code SCMP_ACT_TRACE(msg)}: a ptrace tracer is notified with {@code msg} (16 bits). */
    static int actTrace(int msg) {
        return 0x7ff00000 | (msg & 0xffff);
    }

    /** The FFM binding; the library itself is opened when the first call needs it. */
    static LibSeccomp load() {
        return new FfmLibSeccomp();
    }

    /** {@code seccomp_init}: a new filter whose unmatched syscalls get {@code defaultAction}. */
    Filter newFilter(int defaultAction);

    /** {@code seccomp_syscall_resolve_name}: the native number (or libseccomp's pseudo number); empty if unknown. */
    OptionalInt resolveSyscall(String name);

    /** {@code seccomp_syscall_resolve_name_arch}: the number on {@code arch}; negative if it has none there. */
    OptionalInt resolveSyscall(int arch, String name);

    /** {@code seccomp_arch_resolve_name} ({@code "x86_64"}, {@code "aarch64"}): the arch token; empty if unknown. */
    OptionalInt resolveArch(String name);

    /** {@code seccomp_arch_native}: the token of the architecture this process runs on. */
    int nativeArch();

    /** {@code seccomp_version}: {@code "major.minor.micro"} of the loaded library. */
    String version();

    /** {@code seccomp_api_get}: the API level the library and kernel support together. */
    int apiLevel();

    /** A filter being built ({@code scmp_filter_ctx}); closing it releases it. */
    interface Filter extends AutoCloseable {

        /** {@code seccomp_arch_add}; false if the filter already has {@code arch} (the native arch always has). */
        boolean addArch(int arch, String name);

        /** {@code seccomp_attr_set}. */
        void setAttribute(Attribute attribute, int value);

        /** {@code seccomp_rule_add_array}; {@code name} names the syscall in errors. */
        void addRule(int action, int syscall, String name, List<ArgCmp> args);

        /** {@code seccomp_export_bpf}: the program as {@code struct sock_filter[]}, in host byte order. */
        byte[] exportBpf();

        @Override
        void close();
    }

    /** {@code enum scmp_filter_attr}. */
    enum Attribute {
        ACT_DEFAULT(1), ACT_BADARCH(2), CTL_NNP(3), CTL_TSYNC(4), API_TSKIP(5), CTL_LOG(6), CTL_SSB(7),
        CTL_OPTIMIZE(8), API_SYSRAWRC(9);

        final int value;

        Attribute(int value) {
            this.value = value;
        }
    }

    /** {@code struct scmp_arg_cmp}: argument {@code arg} compared by {@code op} with {@code datumA} (and B). */
    record ArgCmp(int arg, int op, long datumA, long datumB) {}

    /** A libseccomp call failed; {@code errno} is the positive error number it returned, or 0. */
    final class LibSeccompException extends RuntimeException {
        private final int errno;

        public LibSeccompException(String message, int errno) {
            super(message);
            this.errno = errno;
        }

        public int errno() {
            return errno;
        }

        /** {@code <call> <object>: <error text>}, with the error in Go's lowercase wording. */
        static LibSeccompException of(String call, String object, int errno) {
            return new LibSeccompException(call + " " + object + ": " + describe(errno), errno);
        }

        static String describe(int errno) {
            return switch (errno) {
                case 1 -> "operation not permitted";
                case 2 -> "no such file or directory";
                case 3 -> "no such process";
                case 9 -> "bad file descriptor";
                case 12 -> "cannot allocate memory";
                case 13 -> "permission denied";
                case 14 -> "bad address";
                case 17 -> "file exists";
                case 22 -> "invalid argument";
                case 24 -> "too many open files";
                case 33 -> "numerical argument out of domain";
                case 38 -> "function not implemented";
                case 95 -> "operation not supported";
                case 125 -> "operation canceled";
                default -> "errno " + errno;
            };
        }
    }
}
