package dev.berth.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.OptionalInt;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** {@link LibSeccomp} over {@code libseccomp.so.2} through FFM. */
final class FfmLibSeccomp implements LibSeccomp {

    private static final String LIBRARY = "libseccomp.so.2";

    @Override
    public Filter newFilter(int defaultAction) {
        MemorySegment ctx = (MemorySegment) call("seccomp_init",
                () -> (MemorySegment) Bindings.INIT.invokeExact(defaultAction));
        if (ctx.equals(MemorySegment.NULL)) {
            throw new LibSeccompException(
                    "seccomp_init " + String.format("0x%08x", defaultAction) + ": invalid default action", 22);
        }
        return new FfmFilter(ctx);
    }

    @Override
    public OptionalInt resolveSyscall(String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cName = arena.allocateFrom(name);
            int nr = (int) call("seccomp_syscall_resolve_name",
                    () -> (int) Bindings.RESOLVE_SYSCALL.invokeExact(cName));
            return nr == Bindings.NR_SCMP_ERROR ? OptionalInt.empty() : OptionalInt.of(nr);
        }
    }

    @Override
    public OptionalInt resolveSyscall(int arch, String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cName = arena.allocateFrom(name);
            int nr = (int) call("seccomp_syscall_resolve_name_arch",
                    () -> (int) Bindings.RESOLVE_SYSCALL_ARCH.invokeExact(arch, cName));
            return nr == Bindings.NR_SCMP_ERROR ? OptionalInt.empty() : OptionalInt.of(nr);
        }
    }

    @Override
    public OptionalInt resolveArch(String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cName = arena.allocateFrom(name);
            int token = (int) call("seccomp_arch_resolve_name", () -> (int) Bindings.RESOLVE_ARCH.invokeExact(cName));
            return token == 0 ? OptionalInt.empty() : OptionalInt.of(token);
        }
    }

    @Override
    public int nativeArch() {
        return (int) call("seccomp_arch_native", () -> (int) Bindings.ARCH_NATIVE.invokeExact());
    }

    @Override
    public String version() {
        MemorySegment v = (MemorySegment) call("seccomp_version", () -> (MemorySegment) Bindings.VERSION.invokeExact());
        MemorySegment s = v.reinterpret(12);
        return s.get(JAVA_INT, 0) + "." + s.get(JAVA_INT, 4) + "." + s.get(JAVA_INT, 8);
    }

    @Override
    public int apiLevel() {
        return (int) call("seccomp_api_get", () -> (int) Bindings.API_GET.invokeExact());
    }

    /** One {@code scmp_filter_ctx}; not thread-safe, like the library's context. */
    private static final class FfmFilter implements Filter {
        private final MemorySegment ctx;
        private boolean released;

        FfmFilter(MemorySegment ctx) {
            this.ctx = ctx;
        }

        @Override
        public boolean addArch(int arch, String name) {
            int rc = (int) call("seccomp_arch_add", () -> (int) Bindings.ARCH_ADD.invokeExact(live(), arch));
            if (rc == -17) {
                return false;
            }
            check(rc, "seccomp_arch_add", name);
            return true;
        }

        @Override
        public void setAttribute(Attribute attribute, int value) {
            int rc = (int) call("seccomp_attr_set",
                    () -> (int) Bindings.ATTR_SET.invokeExact(live(), attribute.value, value));
            check(rc, "seccomp_attr_set", attribute.name().toLowerCase(java.util.Locale.ROOT));
        }

        @Override
        public void addRule(int action, int syscall, String name, List<ArgCmp> args) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment array = args.isEmpty()
                        ? MemorySegment.NULL : arena.allocate(Bindings.ARG_CMP, args.size());
                for (int i = 0; i < args.size(); i++) {
                    ArgCmp a = args.get(i);
                    Bindings.CMP_ARG.set(array, 0L, (long) i, a.arg());
                    Bindings.CMP_OP.set(array, 0L, (long) i, a.op());
                    Bindings.CMP_DATUM_A.set(array, 0L, (long) i, a.datumA());
                    Bindings.CMP_DATUM_B.set(array, 0L, (long) i, a.datumB());
                }
                int rc = (int) call("seccomp_rule_add_array", () -> (int) Bindings.RULE_ADD_ARRAY.invokeExact(
                        live(), action, syscall, args.size(), array));
                check(rc, "seccomp_rule_add", name);
            }
        }

        @Override
        public byte[] exportBpf() {
            // libseccomp 2.5 exports only to a file descriptor: use an anonymous memory file.
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment errno = arena.allocate(Bindings.CALL_STATE);
                int fd = (int) call("memfd_create", () -> (int) Bindings.MEMFD_CREATE.invokeExact(
                        errno, arena.allocateFrom("berth-seccomp"), Bindings.MFD_CLOEXEC));
                if (fd < 0) {
                    throw LibSeccompException.of("memfd_create", "berth-seccomp", Bindings.errno(errno));
                }
                try {
                    int rc = (int) call("seccomp_export_bpf", () -> (int) Bindings.EXPORT_BPF.invokeExact(live(), fd));
                    check(rc, "seccomp_export_bpf", "memfd");
                    return readAll(arena, errno, fd);
                } finally {
                    call("close", () -> (int) Bindings.CLOSE.invokeExact(fd));
                }
            }
        }

        private static byte[] readAll(Arena arena, MemorySegment errno, int fd) {
            long size = (long) call("lseek", () -> (long) Bindings.LSEEK.invokeExact(errno, fd, 0L, Bindings.SEEK_END));
            if (size < 0) {
                throw LibSeccompException.of("lseek", "seccomp program", Bindings.errno(errno));
            }
            MemorySegment buf = arena.allocate(Math.max(size, 1));
            long done = 0;
            while (done < size) {
                long offset = done;
                long n = (long) call("pread", () -> (long) Bindings.PREAD.invokeExact(
                        errno, fd, buf.asSlice(offset), size - offset, offset));
                if (n < 0 && Bindings.errno(errno) == 4) {
                    continue;
                }
                if (n <= 0) {
                    throw LibSeccompException.of("read", "seccomp program", n == 0 ? 5 : Bindings.errno(errno));
                }
                done += n;
            }
            return buf.asSlice(0, size).toArray(ValueLayout.JAVA_BYTE);
        }

        @Override
        public void close() {
            if (!released) {
                released = true;
                call("seccomp_release", () -> {
                    Bindings.RELEASE.invokeExact(ctx);
                    return null;
                });
            }
        }

        private MemorySegment live() {
            if (released) {
                throw new IllegalStateException("seccomp filter already released");
            }
            return ctx;
        }

        private static void check(int rc, String callName, String object) {
            if (rc < 0) {
                throw LibSeccompException.of(callName, object, -rc);
            }
        }
    }

    /** A native call; {@code invokeExact} declares Throwable, which only a binding bug can raise here. */
    @FunctionalInterface
    private interface NativeCall {
        Object invoke() throws Throwable;
    }

    private static Object call(String name, NativeCall nativeCall) {
        try {
            return nativeCall.invoke();
        } catch (ExceptionInInitializerError e) {
            if (e.getCause() instanceof LibSeccompException cause) {
                throw cause;
            }
            throw e;
        } catch (NoClassDefFoundError e) {
            // The bindings failed to initialise on an earlier call: the library is missing.
            throw new LibSeccompException("load " + LIBRARY + ": not available", 2);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("call " + name + ": " + t, t);
        }
    }

    /** The bound symbols; this class is initialised, and the library opened, on the first call. */
    private static final class Bindings {
        static final int NR_SCMP_ERROR = -1;
        static final int MFD_CLOEXEC = 1;
        static final int SEEK_END = 2;

        static final StructLayout ARG_CMP = MemoryLayout.structLayout(
                JAVA_INT.withName("arg"), JAVA_INT.withName("op"),
                JAVA_LONG.withName("datum_a"), JAVA_LONG.withName("datum_b"));
        static final VarHandle CMP_ARG = element("arg");
        static final VarHandle CMP_OP = element("op");
        static final VarHandle CMP_DATUM_A = element("datum_a");
        static final VarHandle CMP_DATUM_B = element("datum_b");

        static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
        static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

        private static final Linker LINKER = Linker.nativeLinker();
        private static final SymbolLookup SECCOMP = open();
        private static final SymbolLookup LIBC = LINKER.defaultLookup();

        static final MethodHandle INIT = seccomp("seccomp_init", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        static final MethodHandle RELEASE = seccomp("seccomp_release", FunctionDescriptor.ofVoid(ADDRESS));
        static final MethodHandle ARCH_ADD = seccomp("seccomp_arch_add",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        static final MethodHandle ARCH_NATIVE = seccomp("seccomp_arch_native", FunctionDescriptor.of(JAVA_INT));
        static final MethodHandle RESOLVE_ARCH = seccomp("seccomp_arch_resolve_name",
                FunctionDescriptor.of(JAVA_INT, ADDRESS));
        static final MethodHandle ATTR_SET = seccomp("seccomp_attr_set",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
        static final MethodHandle RESOLVE_SYSCALL = seccomp("seccomp_syscall_resolve_name",
                FunctionDescriptor.of(JAVA_INT, ADDRESS));
        static final MethodHandle RESOLVE_SYSCALL_ARCH = seccomp("seccomp_syscall_resolve_name_arch",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
        static final MethodHandle RULE_ADD_ARRAY = seccomp("seccomp_rule_add_array",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
        static final MethodHandle EXPORT_BPF = seccomp("seccomp_export_bpf",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        static final MethodHandle VERSION = seccomp("seccomp_version", FunctionDescriptor.of(ADDRESS));
        static final MethodHandle API_GET = seccomp("seccomp_api_get", FunctionDescriptor.of(JAVA_INT));

        static final MethodHandle MEMFD_CREATE = libc("memfd_create",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        static final MethodHandle LSEEK = libc("lseek",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
        static final MethodHandle PREAD = libc("pread",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
        static final MethodHandle CLOSE = LINKER.downcallHandle(LIBC.findOrThrow("close"),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT));

        private Bindings() {}

        private static SymbolLookup open() {
            try {
                return SymbolLookup.libraryLookup(LIBRARY, Arena.global());
            } catch (IllegalArgumentException e) {
                throw new LibSeccompException("load " + LIBRARY + ": " + e.getMessage(), 2);
            }
        }

        private static MethodHandle seccomp(String name, FunctionDescriptor descriptor) {
            return LINKER.downcallHandle(SECCOMP.findOrThrow(name), descriptor);
        }

        private static MethodHandle libc(String name, FunctionDescriptor descriptor) {
            return LINKER.downcallHandle(LIBC.findOrThrow(name), descriptor, Linker.Option.captureCallState("errno"));
        }

        private static VarHandle element(String field) {
            return ARG_CMP.arrayElementVarHandle(MemoryLayout.PathElement.groupElement(field));
        }

        static int errno(MemorySegment state) {
            return (int) ERRNO.get(state, 0L);
        }
    }
}
