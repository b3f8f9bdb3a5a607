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
 * {@link Syscalls} through FFM ({@code java.lang.foreign}) on glibc, x86_64. Each symbol is looked up once, at
 * class initialisation, so the AOT cache keeps the binding and a call costs a downcall.
 */
public final class LinuxSyscalls implements Syscalls {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option ERRNO_OPT = Linker.Option.captureCallState("errno");

    private static final MethodHandle SOCKETPAIR = errnoFn("socketpair", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS);
    private static final MethodHandle READ = errnoFn("read", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
    private static final MethodHandle WRITE = errnoFn("write", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
    private static final MethodHandle CLOSE = errnoFn("close", JAVA_INT, JAVA_INT);
    private static final MethodHandle WAITPID = errnoFn("waitpid", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle KILL = errnoFn("kill", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle MEMFD_CREATE = errnoFn("memfd_create", JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle FCNTL_INT = variadic("fcntl", 2, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle MKFIFO = errnoFn("mkfifo", JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle PRCTL = variadic("prctl", 1, JAVA_INT, JAVA_INT, JAVA_LONG);
    private static final MethodHandle GETPID = plainFn("getpid", JAVA_INT);
    private static final MethodHandle SOCKET = errnoFn("socket", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle CONNECT = errnoFn("connect", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle RECVMSG = errnoFn("recvmsg", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle IOCTL_PTR = variadic("ioctl", 2, JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS);

    // posix_spawn and its helpers return an error number instead of setting errno
    private static final MethodHandle POSIX_SPAWN =
            plainFn("posix_spawn", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
    private static final MethodHandle FA_INIT = plainFn("posix_spawn_file_actions_init", JAVA_INT, ADDRESS);
    private static final MethodHandle FA_DUP2 =
            plainFn("posix_spawn_file_actions_adddup2", JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    private static final MethodHandle FA_DESTROY = plainFn("posix_spawn_file_actions_destroy", JAVA_INT, ADDRESS);
    private static final MethodHandle ATTR_INIT = plainFn("posix_spawnattr_init", JAVA_INT, ADDRESS);
    private static final MethodHandle ATTR_FLAGS = plainFn("posix_spawnattr_setflags", JAVA_INT, ADDRESS, JAVA_SHORT);
    private static final MethodHandle ATTR_SIGMASK = plainFn("posix_spawnattr_setsigmask", JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle ATTR_SIGDEF = plainFn("posix_spawnattr_setsigdefault", JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle ATTR_DESTROY = plainFn("posix_spawnattr_destroy", JAVA_INT, ADDRESS);
    private static final MethodHandle SIGEMPTYSET = plainFn("sigemptyset", JAVA_INT, ADDRESS);
    private static final MethodHandle SIGFILLSET = plainFn("sigfillset", JAVA_INT, ADDRESS);

    private static final int AF_UNIX = 1;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_CLOEXEC = 0x80000;
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

    private static MethodHandle errnoFn(String name, MemoryLayout ret, MemoryLayout... args) {
        return LINKER.downcallHandle(symbol(name), FunctionDescriptor.of(ret, args), ERRNO_OPT);
    }

    private static MethodHandle plainFn(String name, MemoryLayout ret, MemoryLayout... args) {
        return LINKER.downcallHandle(symbol(name), FunctionDescriptor.of(ret, args));
    }

    private static MethodHandle variadic(String name, int firstVariadic, MemoryLayout ret, MemoryLayout... args) {
        return LINKER.downcallHandle(symbol(name), FunctionDescriptor.of(ret, args),
                ERRNO_OPT, Linker.Option.firstVariadicArg(firstVariadic));
    }

    private static MemorySegment symbol(String name) {
        return LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name));
    }

    private static int errno(MemorySegment capture) {
        return (int) ERRNO.get(capture, 0L);
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
            MemorySegment cap = arena.allocate(CAPTURE);
            MemorySegment sv = arena.allocate(JAVA_INT, 2);
            int r = (int) SOCKETPAIR.invokeExact(cap, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv);
            if (r < 0) {
                throw new SyscallException("socketpair", "", errno(cap));
            }
            return new int[] {sv.getAtIndex(JAVA_INT, 0), sv.getAtIndex(JAVA_INT, 1)};
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int read(int fd, byte[] buf, int off, int len) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = arena.allocate(CAPTURE);
            MemorySegment seg = arena.allocate(Math.max(len, 1));
            while (true) {
                long n = (long) READ.invokeExact(cap, fd, seg, (long) len);
                if (n >= 0) {
                    MemorySegment.copy(seg, JAVA_BYTE, 0, buf, off, (int) n);
                    return (int) n;
                }
                int e = errno(cap);
                if (e != Errno.EINTR) {
                    throw new SyscallException("read", "fd " + fd, e);
                }
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void writeFully(int fd, byte[] buf) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = arena.allocate(CAPTURE);
            MemorySegment seg = arena.allocate(Math.max(buf.length, 1));
            MemorySegment.copy(buf, 0, seg, JAVA_BYTE, 0, buf.length);
            long done = 0;
            while (done < buf.length) {
                long n = (long) WRITE.invokeExact(cap, fd, seg.asSlice(done), (long) buf.length - done);
                if (n < 0) {
                    int e = errno(cap);
                    if (e == Errno.EINTR) {
                        continue;
                    }
                    throw new SyscallException("write", "fd " + fd, e);
                }
                done += n;
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = arena.allocate(CAPTURE);
            // never retry close on EINTR: on Linux the fd is released either way
            int r = (int) CLOSE.invokeExact(cap, fd);
            if (r < 0 && errno(cap) != Errno.EINTR) {
                throw new SyscallException("close", "fd " + fd, errno(cap));
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int spawn(String path, List<String> argv, List<String> env, Map<Integer, Integer> fds) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fa = arena.allocate(SPAWN_FA_SIZE, 16);
            MemorySegment attr = arena.allocate(SPAWN_ATTR_SIZE, 16);
            MemorySegment all = arena.allocate(SIGSET_SIZE, 16);
            MemorySegment none = arena.allocate(SIGSET_SIZE, 16);
            check("posix_spawn_file_actions_init", (int) FA_INIT.invokeExact(fa));
            check("posix_spawnattr_init", (int) ATTR_INIT.invokeExact(attr));
            try {
                for (Map.Entry<Integer, Integer> e : fds.entrySet()) {
                    check("posix_spawn_file_actions_adddup2",
                            (int) FA_DUP2.invokeExact(fa, (int) e.getValue(), (int) e.getKey()));
                }
                check("sigfillset", (int) SIGFILLSET.invokeExact(all));
                check("sigemptyset", (int) SIGEMPTYSET.invokeExact(none));
                check("posix_spawnattr_setsigdefault", (int) ATTR_SIGDEF.invokeExact(attr, all));
                check("posix_spawnattr_setsigmask", (int) ATTR_SIGMASK.invokeExact(attr, none));
                check("posix_spawnattr_setflags",
                        (int) ATTR_FLAGS.invokeExact(attr, (short) (POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)));
                MemorySegment pid = arena.allocate(JAVA_INT);
                int r = (int) POSIX_SPAWN.invokeExact(pid, arena.allocateFrom(path), fa, attr,
                        stringArray(arena, argv), stringArray(arena, env));
                if (r != 0) {
                    throw new SyscallException("posix_spawn", path, r);
                }
                return pid.get(JAVA_INT, 0);
            } finally {
                int ignoredFa = (int) FA_DESTROY.invokeExact(fa);
                int ignoredAttr = (int) ATTR_DESTROY.invokeExact(attr);
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static void check(String op, int result) {
        if (result != 0) {
            throw new SyscallException(op, "", result);
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
            MemorySegment cap = arena.allocate(CAPTURE);
            MemorySegment status = arena.allocate(JAVA_INT);
            while (true) {
                int r = (int) WAITPID.invokeExact(cap, pid, status, noHang ? WNOHANG : 0);
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
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void kill(int pid, int signal) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = arena.allocate(CAPTURE);
            int r = (int) KILL.invokeExact(cap, pid, signal);
            if (r < 0) {
                throw new SyscallException("kill", Integer.toString(pid), errno(cap));
            }
        } catch (Throwable t) {
            throw rethrow(t);
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
            MemorySegment cap = arena.allocate(CAPTURE);
            int fd = (int) MEMFD_CREATE.invokeExact(cap, arena.allocateFrom(name), MFD_CLOEXEC | MFD_ALLOW_SEALING);
            if (fd < 0) {
                throw new SyscallException("memfd_create", name, errno(cap));
            }
            try {
                writeFully(fd, contents);
                int r = (int) FCNTL_INT.invokeExact(cap, fd, F_ADD_SEALS, SEALS);
                if (r < 0) {
                    throw new SyscallException("fcntl F_ADD_SEALS", name, errno(cap));
                }
                return fd;
            } catch (RuntimeException e) {
                close(fd);
                throw e;
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void mkfifo(String path, int mode) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = arena.allocate(CAPTURE);
            int r = (int) MKFIFO.invokeExact(cap, arena.allocateFrom(path), mode);
            if (r < 0) {
                throw new SyscallException("mkfifo", path, errno(cap));
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void setChildSubreaper() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = arena.allocate(CAPTURE);
            int r = (int) PRCTL.invokeExact(cap, PR_SET_CHILD_SUBREAPER, 1L);
            if (r < 0) {
                throw new SyscallException("prctl", "PR_SET_CHILD_SUBREAPER", errno(cap));
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int getpid() {
        try {
            return (int) GETPID.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int connectUnix(String path) {
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        if (bytes.length >= 108) {
            throw new SyscallException("connect", path, 36);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = arena.allocate(CAPTURE);
            int fd = (int) SOCKET.invokeExact(cap, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
            if (fd < 0) {
                throw new SyscallException("socket", path, errno(cap));
            }
            MemorySegment addr = arena.allocate(110);
            addr.set(JAVA_SHORT, 0, (short) AF_UNIX);
            MemorySegment.copy(bytes, 0, addr, JAVA_BYTE, 2, bytes.length);
            int r = (int) CONNECT.invokeExact(cap, fd, addr, 2 + bytes.length + 1);
            if (r < 0) {
                int e = errno(cap);
                close(fd);
                throw new SyscallException("connect", path, e);
            }
            return fd;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int receiveFd(int socketFd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = arena.allocate(CAPTURE);
            MemorySegment data = arena.allocate(4096);
            MemorySegment iov = arena.allocate(16, 8);
            iov.set(ADDRESS, 0, data);
            iov.set(JAVA_LONG, 8, data.byteSize());
            MemorySegment control = arena.allocate(64, 8);
            MemorySegment msg = arena.allocate(56, 8);
            msg.set(ADDRESS, 16, iov);
            msg.set(JAVA_LONG, 24, 1L);
            msg.set(ADDRESS, 32, control);
            msg.set(JAVA_LONG, 40, control.byteSize());
            while (true) {
                long n = (long) RECVMSG.invokeExact(cap, socketFd, msg, MSG_CMSG_CLOEXEC);
                if (n >= 0) {
                    break;
                }
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
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void setWindowSize(int fd, int rows, int cols) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = arena.allocate(CAPTURE);
            MemorySegment ws = arena.allocate(8, 2);
            ws.set(JAVA_SHORT, 0, (short) rows);
            ws.set(JAVA_SHORT, 2, (short) cols);
            int r = (int) IOCTL_PTR.invokeExact(cap, fd, TIOCSWINSZ, ws);
            if (r < 0) {
                throw new SyscallException("ioctl TIOCSWINSZ", "fd " + fd, errno(cap));
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
