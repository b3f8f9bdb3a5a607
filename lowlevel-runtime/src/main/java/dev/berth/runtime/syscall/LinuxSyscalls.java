package dev.berth.runtime.syscall;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link Syscalls} through FFM ({@code java.lang.foreign}) on glibc, x86_64.
 *
 * <p>Binding a native function costs start-up time: the JDK generates a call stub (some twenty classes, which the
 * AOT cache cannot keep) for each distinct call shape, and the CLI pays it on every launch. So every function is
 * bound with one shape: seven longs in, a long out, errno captured. System calls go through glibc's
 * {@code syscall(2)}; the {@code posix_spawn} family is bound with the same shape, which the x86-64 System V
 * calling convention makes exact for any function of up to six integer or pointer arguments (they travel in
 * registers, the caller cleans up, unused ones are ignored), with an int result read from the low half.
 * Each group binds in its own holder class, when a verb first needs it.
 */
public final class LinuxSyscalls implements Syscalls {
    // x86_64 system call numbers (asm/unistd_64.h)
    private static final long SYS_READ = 0;
    private static final long SYS_WRITE = 1;
    private static final long SYS_CLOSE = 3;
    private static final long SYS_IOCTL = 16;
    private static final long SYS_GETPID = 39;
    private static final long SYS_SOCKET = 41;
    private static final long SYS_CONNECT = 42;
    private static final long SYS_RECVMSG = 47;
    private static final long SYS_SOCKETPAIR = 53;
    private static final long SYS_WAIT4 = 61;
    private static final long SYS_KILL = 62;
    private static final long SYS_FCNTL = 72;
    private static final long SYS_PRCTL = 157;
    private static final long SYS_OPENAT = 257;
    private static final long SYS_MKNODAT = 259;
    private static final long SYS_PIPE2 = 293;
    private static final long SYS_MEMFD_CREATE = 319;

    private static final long AT_FDCWD = -100;
    private static final long S_IFIFO = 0010000;

    /** The one call shape, the capture layout and {@code syscall(2)}: bound on the first native call. */
    private static final class Native {
        static final Linker LINKER = Linker.nativeLinker();
        static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
        static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
        static final FunctionDescriptor SHAPE = FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG,
                JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);
        static final Linker.Option ERRNO_OPTION = Linker.Option.captureCallState("errno");
        static final MethodHandle SYSCALL = bind("syscall");

        static MethodHandle bind(String name) {
            MemorySegment symbol = LINKER.defaultLookup().find(name)
                    .orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name));
            return LINKER.downcallHandle(symbol, SHAPE, ERRNO_OPTION);
        }
    }

    /** posix_spawn and its helpers (they return an error number, not -1 and errno): bound on the first spawn. */
    private static final class Spawn {
        static final MethodHandle POSIX_SPAWN = Native.bind("posix_spawn");
        static final MethodHandle FA_INIT = Native.bind("posix_spawn_file_actions_init");
        static final MethodHandle FA_DUP2 = Native.bind("posix_spawn_file_actions_adddup2");
        static final MethodHandle FA_DESTROY = Native.bind("posix_spawn_file_actions_destroy");
        static final MethodHandle ATTR_INIT = Native.bind("posix_spawnattr_init");
        static final MethodHandle ATTR_FLAGS = Native.bind("posix_spawnattr_setflags");
        static final MethodHandle ATTR_SIGMASK = Native.bind("posix_spawnattr_setsigmask");
        static final MethodHandle ATTR_SIGDEF = Native.bind("posix_spawnattr_setsigdefault");
        static final MethodHandle ATTR_DESTROY = Native.bind("posix_spawnattr_destroy");
        static final MethodHandle SIGEMPTYSET = Native.bind("sigemptyset");
        static final MethodHandle SIGFILLSET = Native.bind("sigfillset");
    }

    private static final int AF_UNIX = 1;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int O_CLOEXEC = 02000000;
    private static final int MFD_CLOEXEC = 1;
    private static final int MFD_ALLOW_SEALING = 2;
    private static final int F_ADD_SEALS = 1033;
    private static final int SEALS = 1 | 2 | 4 | 8; // F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE
    private static final int PR_SET_CHILD_SUBREAPER = 36;
    private static final int WNOHANG = 1;
    private static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    private static final int SOL_SOCKET = 1;
    private static final int SCM_RIGHTS = 1;
    private static final int MSG_CMSG_CLOEXEC = 0x40000000;
    private static final long TIOCSWINSZ = 0x5414;
    // glibc x86_64 sizes, rounded up: posix_spawn_file_actions_t is 80 bytes, posix_spawnattr_t 336, sigset_t 128
    private static final long SPAWN_FA_SIZE = 128;
    private static final long SPAWN_ATTR_SIZE = 512;
    private static final long SIGSET_SIZE = 128;

    /** One system call; returns the result, or -1 with errno in {@code cap}. */
    private static long sys(MemorySegment cap, long nr, long a, long b, long c, long d) {
        return call(Native.SYSCALL, cap, nr, a, b, c, d, 0);
    }

    /** A call through the one shape; an int-returning function's result is the low half. */
    private static long call(MethodHandle fn, MemorySegment cap, long a, long b, long c, long d, long e, long f) {
        try {
            return (long) fn.invokeExact(cap, a, b, c, d, e, f, 0L);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** A posix_spawn-family call that returns 0 or an error number. */
    private static void spawnCall(MemorySegment cap, MethodHandle fn, String op, long a, long b, long c) {
        int r = (int) call(fn, cap, a, b, c, 0, 0, 0);
        if (r != 0) {
            throw new SyscallException(op, "", r);
        }
    }

    private static MemorySegment capture(Arena arena) {
        return arena.allocate(Native.CAPTURE);
    }

    private static int errno(MemorySegment capture) {
        return (int) Native.ERRNO.get(capture, 0L);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("native call failed", t);
    }

    @Override
    public int[] socketpair() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = capture(arena);
            MemorySegment sv = arena.allocate(JAVA_INT, 2);
            if (sys(cap, SYS_SOCKETPAIR, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv.address()) < 0) {
                throw new SyscallException("socketpair", "", errno(cap));
            }
            return new int[] {sv.getAtIndex(JAVA_INT, 0), sv.getAtIndex(JAVA_INT, 1)};
        }
    }

    @Override
    public int[] pipe() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = capture(arena);
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            if (sys(cap, SYS_PIPE2, fds.address(), O_CLOEXEC, 0, 0) < 0) {
                throw new SyscallException("pipe2", "", errno(cap));
            }
            return new int[] {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
        }
    }

    @Override
    public int open(String path, int flags, int mode) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = capture(arena);
            long name = arena.allocateFrom(path).address();
            while (true) {
                int fd = (int) sys(cap, SYS_OPENAT, AT_FDCWD, name, flags | O_CLOEXEC, mode);
                if (fd >= 0) {
                    return fd;
                }
                int e = errno(cap);
                if (e != Errno.EINTR) {
                    throw new SyscallException("open", path, e);
                }
            }
        }
    }

    @Override
    public int read(int fd, byte[] buf, int off, int len) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = capture(arena);
            MemorySegment seg = arena.allocate(Math.max(len, 1));
            while (true) {
                long n = sys(cap, SYS_READ, fd, seg.address(), len, 0);
                if (n >= 0) {
                    MemorySegment.copy(seg, JAVA_BYTE, 0, buf, off, (int) n);
                    return (int) n;
                }
                int e = errno(cap);
                if (e != Errno.EINTR) {
                    throw new SyscallException("read", "fd " + fd, e);
                }
            }
        }
    }

    @Override
    public void writeFully(int fd, byte[] buf) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = capture(arena);
            MemorySegment seg = arena.allocate(Math.max(buf.length, 1));
            MemorySegment.copy(buf, 0, seg, JAVA_BYTE, 0, buf.length);
            long done = 0;
            while (done < buf.length) {
                long n = sys(cap, SYS_WRITE, fd, seg.address() + done, buf.length - done, 0);
                if (n < 0) {
                    int e = errno(cap);
                    if (e == Errno.EINTR) {
                        continue;
                    }
                    throw new SyscallException("write", "fd " + fd, e);
                }
                done += n;
            }
        }
    }

    @Override
    public void close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = capture(arena);
            // never retry close on EINTR: on Linux the fd is released either way
            if (sys(cap, SYS_CLOSE, fd, 0, 0, 0) < 0 && errno(cap) != Errno.EINTR) {
                throw new SyscallException("close", "fd " + fd, errno(cap));
            }
        }
    }

    @Override
    public int spawn(String path, List<String> argv, List<String> env, Map<Integer, Integer> fds) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = capture(arena);
            long fa = arena.allocate(SPAWN_FA_SIZE, 16).address();
            long attr = arena.allocate(SPAWN_ATTR_SIZE, 16).address();
            long all = arena.allocate(SIGSET_SIZE, 16).address();
            long none = arena.allocate(SIGSET_SIZE, 16).address();
            spawnCall(cap, Spawn.FA_INIT, "posix_spawn_file_actions_init", fa, 0, 0);
            spawnCall(cap, Spawn.ATTR_INIT, "posix_spawnattr_init", attr, 0, 0);
            try {
                for (Map.Entry<Integer, Integer> e : fds.entrySet()) {
                    spawnCall(cap, Spawn.FA_DUP2, "posix_spawn_file_actions_adddup2", fa, e.getValue(), e.getKey());
                }
                spawnCall(cap, Spawn.SIGFILLSET, "sigfillset", all, 0, 0);
                spawnCall(cap, Spawn.SIGEMPTYSET, "sigemptyset", none, 0, 0);
                spawnCall(cap, Spawn.ATTR_SIGDEF, "posix_spawnattr_setsigdefault", attr, all, 0);
                spawnCall(cap, Spawn.ATTR_SIGMASK, "posix_spawnattr_setsigmask", attr, none, 0);
                spawnCall(cap, Spawn.ATTR_FLAGS, "posix_spawnattr_setflags", attr,
                        POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK, 0);
                MemorySegment pid = arena.allocate(JAVA_INT);
                int r = (int) call(Spawn.POSIX_SPAWN, cap, pid.address(), arena.allocateFrom(path).address(), fa,
                        attr, stringArray(arena, argv).address(), stringArray(arena, env).address());
                if (r != 0) {
                    throw new SyscallException("posix_spawn", path, r);
                }
                return pid.get(JAVA_INT, 0);
            } finally {
                call(Spawn.FA_DESTROY, cap, fa, 0, 0, 0, 0, 0);
                call(Spawn.ATTR_DESTROY, cap, attr, 0, 0, 0, 0, 0);
            }
        }
    }

    private static MemorySegment stringArray(Arena arena, List<String> strings) {
        MemorySegment array = arena.allocate(ADDRESS, strings.size() + 1L);
        for (int i = 0; i < strings.size(); i++) {
            array.setAtIndex(ADDRESS, i, arena.allocateFrom(strings.get(i), StandardCharsets.UTF_8));
        }
        array.setAtIndex(ADDRESS, strings.size(), MemorySegment.NULL);
        return array;
    }

    @Override
    public Optional<ExitStatus> waitpid(int pid, boolean noHang) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = capture(arena);
            MemorySegment status = arena.allocate(JAVA_INT);
            while (true) {
                int r = (int) sys(cap, SYS_WAIT4, pid, status.address(), noHang ? WNOHANG : 0, 0);
                if (r > 0) {
                    int s = status.get(JAVA_INT, 0);
                    int termSig = s & 0x7f;
                    if (termSig == 0) {
                        return Optional.of(new ExitStatus(r, (s >> 8) & 0xff, 0));
                    }
                    if (termSig != 0x7f) {
                        return Optional.of(new ExitStatus(r, 0, termSig));
                    }
                    continue; // stopped or continued: not an exit
                }
                if (r == 0) {
                    return Optional.empty();
                }
                int e = errno(cap);
                if (e != Errno.EINTR) {
                    throw new SyscallException("waitpid", Integer.toString(pid), e);
                }
            }
        }
    }

    @Override
    public void kill(int pid, int signal) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = capture(arena);
            if (sys(cap, SYS_KILL, pid, signal, 0, 0) < 0) {
                throw new SyscallException("kill", Integer.toString(pid), errno(cap));
            }
        }
    }

    @Override
    public boolean processExists(int pid) {
        try {
            kill(pid, 0);
            return true;
        } catch (SyscallException e) {
            return e.errno() != Errno.ESRCH;
        }
    }

    @Override
    public int sealedCopy(String name, byte[] contents) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = capture(arena);
            int fd = (int) sys(cap, SYS_MEMFD_CREATE, arena.allocateFrom(name).address(),
                    MFD_CLOEXEC | MFD_ALLOW_SEALING, 0, 0);
            if (fd < 0) {
                throw new SyscallException("memfd_create", name, errno(cap));
            }
            try {
                writeFully(fd, contents);
                if (sys(cap, SYS_FCNTL, fd, F_ADD_SEALS, SEALS, 0) < 0) {
                    throw new SyscallException("fcntl F_ADD_SEALS", name, errno(cap));
                }
                return fd;
            } catch (RuntimeException e) {
                close(fd);
                throw e;
            }
        }
    }

    @Override
    public void mkfifo(String path, int mode) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = capture(arena);
            if (sys(cap, SYS_MKNODAT, AT_FDCWD, arena.allocateFrom(path).address(), S_IFIFO | mode, 0) < 0) {
                throw new SyscallException("mkfifo", path, errno(cap));
            }
        }
    }

    @Override
    public void setChildSubreaper() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = capture(arena);
            if (sys(cap, SYS_PRCTL, PR_SET_CHILD_SUBREAPER, 1, 0, 0) < 0) {
                throw new SyscallException("prctl", "PR_SET_CHILD_SUBREAPER", errno(cap));
            }
        }
    }

    @Override
    public int getpid() {
        try (Arena arena = Arena.ofConfined()) {
            return (int) sys(capture(arena), SYS_GETPID, 0, 0, 0, 0);
        }
    }

    @Override
    public int connectUnix(String path) {
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        if (bytes.length >= 108) {
            throw new SyscallException("connect", path, 36);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = capture(arena);
            int fd = (int) sys(cap, SYS_SOCKET, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, 0);
            if (fd < 0) {
                throw new SyscallException("socket", path, errno(cap));
            }
            MemorySegment addr = arena.allocate(110);
            addr.set(JAVA_SHORT, 0, (short) AF_UNIX);
            MemorySegment.copy(bytes, 0, addr, JAVA_BYTE, 2, bytes.length);
            if (sys(cap, SYS_CONNECT, fd, addr.address(), 2 + bytes.length + 1, 0) < 0) {
                int e = errno(cap);
                close(fd);
                throw new SyscallException("connect", path, e);
            }
            return fd;
        }
    }

    @Override
    public int receiveFd(int socketFd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = capture(arena);
            MemorySegment data = arena.allocate(4096);
            MemorySegment iov = arena.allocate(16, 8);
            iov.set(ADDRESS, 0, data);
            iov.set(JAVA_LONG, 8, data.byteSize());
            MemorySegment control = arena.allocate(64, 8);
            // struct msghdr { name, namelen, iov, iovlen, control, controllen, flags }
            MemorySegment msg = arena.allocate(56, 8);
            msg.set(ADDRESS, 16, iov);
            msg.set(JAVA_LONG, 24, 1L);
            msg.set(ADDRESS, 32, control);
            msg.set(JAVA_LONG, 40, control.byteSize());
            while (sys(cap, SYS_RECVMSG, socketFd, msg.address(), MSG_CMSG_CLOEXEC, 0) < 0) {
                int e = errno(cap);
                if (e != Errno.EINTR) {
                    throw new SyscallException("recvmsg", "fd " + socketFd, e);
                }
            }
            long controlLen = msg.get(JAVA_LONG, 40);
            // struct cmsghdr { size_t cmsg_len; int cmsg_level; int cmsg_type; unsigned char data[]; }
            if (controlLen >= 20 && control.get(JAVA_INT, 8) == SOL_SOCKET && control.get(JAVA_INT, 12) == SCM_RIGHTS) {
                return control.get(JAVA_INT, 16);
            }
            throw new SyscallException("recvmsg", "fd " + socketFd + " (no file descriptor received)", Errno.EINVAL);
        }
    }

    @Override
    public void setWindowSize(int fd, int rows, int cols) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = capture(arena);
            MemorySegment ws = arena.allocate(8, 2);
            ws.set(JAVA_SHORT, 0, (short) rows);
            ws.set(JAVA_SHORT, 2, (short) cols);
            if (sys(cap, SYS_IOCTL, fd, TIOCSWINSZ, ws.address(), 0) < 0) {
                throw new SyscallException("ioctl TIOCSWINSZ", "fd " + fd, errno(cap));
            }
        }
    }
}
