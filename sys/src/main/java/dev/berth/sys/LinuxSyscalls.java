package dev.berth.sys;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link Syscalls} and {@link FileSyscalls} on Linux through a small JNI library, {@code libberth-syscall.so}
 * ({@code src/main/c/berth-syscall.c}), built into this module's {@code target/}. Each program's main passes the
 * library's path to {@link #load}.
 *
 * <p>Why JNI and not FFM, which DESIGN.md chose: measured on this machine kind with an AOT cache, the first FFM
 * downcall in a JVM costs about 19 ms (the JDK generates its call stub at run time and the cache cannot keep it),
 * and loading this library plus the same call about 0.24 ms. A CLI pays that on every launch. FFM stays where a
 * library is bound only when needed (libseccomp).
 *
 * <p>Each native method returns a non-negative result or {@code -errno}; this class turns the latter into a
 * {@link SyscallException} naming the operation and the object.
 */
public final class LinuxSyscalls implements Syscalls, FileSyscalls, NetnsSyscalls {
    /** The library's file name, as the build writes it. */
    public static final String LIBRARY = "libberth-syscall.so";

    private static native long socketpair0(int[] out);

    private static native long pipe0(int[] out);

    private static native long open0(String path, int flags, int mode);

    private static native long read0(int fd, byte[] buf, int off, int len);

    private static native long writeFully0(int fd, byte[] buf);

    private static native long close0(int fd);

    private static native long dup20(int oldFd, int newFd);

    private static native long spawn0(String path, String[] argv, String[] env, int[] targets, int[] sources);

    private static native long waitpid0(int pid, boolean noHang);

    private static native long kill0(int pid, int signal);

    private static native long sealedCopy0(String name, byte[] contents);

    private static native long mkfifo0(String path, int mode);

    private static native long setChildSubreaper0();

    private static native long getpid0();

    private static native long setpriority0(int which, int who, int nice);

    private static native long connectUnix0(String path);

    private static native long listenUnix0(String path);

    private static native long acceptUnix0(int socketFd, int timeoutMillis);

    private static native long receiveFd0(int socketFd);

    private static native long setWindowSize0(int fd, int rows, int cols);

    private static native long mount0(String source, String target, String type, long flags, String data);

    private static native long unmount0(String target, int flags);

    private static native long mknod0(String path, int mode, long major, long minor);

    private static native long lchown0(String path, int uid, int gid);

    private static native long chmod0(String path, int mode);

    private static native long lutimes0(String path, long sec, long nsec);

    private static native long lsetxattr0(String path, String name, byte[] value);

    private static native long lgetxattr0(String path, String name, byte[] out);

    private static native long llistxattr0(String path, byte[] out);

    private static final int ENODATA = 61;
    private static final int ENOTSUP = 95;

    private static native long eventfd0();

    private static native long inotifyInit0();

    private static native long inotifyAddWatch0(int fd, String path, int mask);

    private static native long inotifyRmWatch0(int fd, int wd);

    private static native long poll0(int[] fds, int[] revents, int timeoutMillis);

    private LinuxSyscalls() {
    }

    /**
     * Loads the JNI library from {@code library} and returns the system calls bound to it. The JVM loads a library
     * once per class loader: a second call with the same path finds it loaded and costs nothing more.
     */
    public static LinuxSyscalls load(Path library) {
        System.load(library.toAbsolutePath().toString());
        return new LinuxSyscalls();
    }

    /** {@link #load} of the {@link #builtLibrary}: for tests and tools that run from the build tree. */
    public static LinuxSyscalls loadBuilt() {
        return load(builtLibrary());
    }

    /**
     * Where the build writes the library: beside the jar or classes directory this class came from
     * ({@code sys/target/}). For tests and tools that run from the build tree; the launchers name the path.
     */
    public static Path builtLibrary() {
        try {
            Path code = Path.of(LinuxSyscalls.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return code.getParent().resolve(LIBRARY);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("locate " + LIBRARY + ": " + e.getMessage(), e);
        }
    }

    /** The result, or a {@link SyscallException} for {@code -errno}. */
    private static long check(long result, String op, String object) {
        if (result < 0) {
            throw new SyscallException(op, object, (int) -result);
        }
        return result;
    }

    @Override
    public void dup2(int oldFd, int newFd) {
        check(dup20(oldFd, newFd), "dup2", "fd " + oldFd + " to " + newFd);
    }

    @Override
    public int[] socketpair() {
        int[] sv = new int[2];
        check(socketpair0(sv), "socketpair", "");
        return sv;
    }

    @Override
    public int[] pipe() {
        int[] fds = new int[2];
        check(pipe0(fds), "pipe2", "");
        return fds;
    }

    @Override
    public int open(String path, int flags, int mode) {
        return (int) check(open0(path, flags, mode), "open", path);
    }

    @Override
    public int read(int fd, byte[] buf, int off, int len) {
        if (off < 0 || len < 0 || off + len > buf.length) {
            throw new IndexOutOfBoundsException("read fd " + fd + ": " + len + " bytes at " + off);
        }
        return (int) check(read0(fd, buf, off, len), "read", "fd " + fd);
    }

    @Override
    public void writeFully(int fd, byte[] buf) {
        check(writeFully0(fd, buf), "write", "fd " + fd);
    }

    @Override
    public void close(int fd) {
        check(close0(fd), "close", "fd " + fd);
    }

    @Override
    public int spawn(String path, List<String> argv, List<String> env, Map<Integer, Integer> fds) {
        int[] targets = new int[fds.size()];
        int[] sources = new int[fds.size()];
        int i = 0;
        for (Map.Entry<Integer, Integer> e : fds.entrySet()) {
            targets[i] = e.getKey();
            sources[i] = e.getValue();
            i++;
        }
        return (int) check(spawn0(path, argv.toArray(String[]::new), env.toArray(String[]::new), targets, sources),
                "posix_spawn", path);
    }

    @Override
    public Optional<ExitStatus> waitpid(int pid, boolean noHang) {
        while (true) {
            long r = check(waitpid0(pid, noHang), "waitpid", Integer.toString(pid));
            if (r == 0) {
                return Optional.empty();
            }
            int waited = (int) (r >>> 32);
            int status = (int) r;
            int termSig = status & 0x7f;
            if (termSig == 0) {
                return Optional.of(new ExitStatus(waited, (status >> 8) & 0xff, 0));
            }
            if (termSig != 0x7f) {
                return Optional.of(new ExitStatus(waited, 0, termSig));
            }
            // stopped or continued: not an exit, wait on
        }
    }

    @Override
    public void kill(int pid, int signal) {
        check(kill0(pid, signal), "kill", Integer.toString(pid));
    }

    @Override
    public boolean processExists(int pid) {
        return kill0(pid, 0) != -Errno.ESRCH;
    }

    @Override
    public int sealedCopy(String name, byte[] contents) {
        return (int) check(sealedCopy0(name, contents), "memfd_create", name);
    }

    @Override
    public void mkfifo(String path, int mode) {
        check(mkfifo0(path, mode), "mkfifo", path);
    }

    @Override
    public void setChildSubreaper() {
        check(setChildSubreaper0(), "prctl", "PR_SET_CHILD_SUBREAPER");
    }

    @Override
    public void setpriority(int which, int who, int nice) {
        check(setpriority0(which, who, nice), "setpriority", (which == PRIO_PGRP ? "group " : "thread ") + who);
    }

    @Override
    public int getpid() {
        return (int) getpid0();
    }

    @Override
    public int connectUnix(String path) {
        return (int) check(connectUnix0(path), "connect", path);
    }

    @Override
    public int listenUnix(String path) {
        return (int) check(listenUnix0(path), "listen", path);
    }

    @Override
    public int acceptUnix(int socketFd, int timeoutMillis) {
        return (int) check(acceptUnix0(socketFd, timeoutMillis), "accept", "fd " + socketFd);
    }

    @Override
    public int receiveFd(int socketFd) {
        return (int) check(receiveFd0(socketFd), "recvmsg", "fd " + socketFd);
    }

    @Override
    public void mount(String source, String target, String type, long flags, String data) {
        check(mount0(source, target, type, flags, data), "mount " + source + " to", target);
    }

    @Override
    public void unmount(String target, int flags) {
        check(unmount0(target, flags), "unmount", target);
    }

    @Override
    public void setWindowSize(int fd, int rows, int cols) {
        check(setWindowSize0(fd, rows, cols), "ioctl TIOCSWINSZ", "fd " + fd);
    }

    @Override
    public void mknod(String path, int mode, long major, long minor) {
        check(mknod0(path, mode, major, minor), "mknod", path);
    }

    @Override
    public void lchown(String path, int uid, int gid) {
        check(lchown0(path, uid, gid), "lchown", path);
    }

    @Override
    public void chmod(String path, int mode) {
        check(chmod0(path, mode), "chmod", path);
    }

    @Override
    public void lutimes(String path, long epochSecond, long nanos) {
        check(lutimes0(path, epochSecond, nanos), "utimensat", path);
    }

    @Override
    public void lsetxattr(String path, String name, byte[] value) {
        check(lsetxattr0(path, name, value), "lsetxattr " + name, path);
    }

    @Override
    public Optional<byte[]> lgetxattr(String path, String name) {
        byte[] buf = new byte[256];
        while (true) {
            long n = lgetxattr0(path, name, buf);
            if (n == -ENODATA) {
                return Optional.empty();
            }
            check(n, "lgetxattr " + name, path);
            if (n <= buf.length) {
                return Optional.of(Arrays.copyOf(buf, (int) n));
            }
            buf = new byte[(int) n];
        }
    }

    @Override
    public List<String> llistxattr(String path) {
        byte[] buf = new byte[1024];
        while (true) {
            long n = llistxattr0(path, buf);
            if (n == -ENOTSUP) {
                return List.of();
            }
            check(n, "llistxattr", path);
            if (n <= buf.length) {
                List<String> names = new ArrayList<>();
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (buf[i] == 0) {
                        names.add(new String(buf, start, i - start, StandardCharsets.UTF_8));
                        start = i + 1;
                    }
                }
                return names;
            }
            buf = new byte[(int) n];
        }
    }

    @Override
    public int eventfd() {
        return (int) check(eventfd0(), "eventfd", "");
    }

    @Override
    public int inotifyInit() {
        return (int) check(inotifyInit0(), "inotify_init1", "");
    }

    @Override
    public int inotifyAddWatch(int fd, String path, int mask) {
        return (int) check(inotifyAddWatch0(fd, path, mask), "inotify_add_watch", path);
    }

    @Override
    public void inotifyRmWatch(int fd, int wd) {
        check(inotifyRmWatch0(fd, wd), "inotify_rm_watch", "fd " + fd + " watch " + wd);
    }

    @Override
    public boolean[] pollReadable(int[] fds, int timeoutMillis) {
        int[] revents = new int[fds.length];
        check(poll0(fds, revents, timeoutMillis), "poll", "fds " + Arrays.toString(fds));
        boolean[] ready = new boolean[fds.length];
        for (int i = 0; i < fds.length; i++) {
            ready[i] = revents[i] != 0;
        }
        return ready;
    }

    // ---- mounts whose options pass a page (issue 10, defect 4): one block, appended -------------------------

    private static native long mountIn0(String dir, String source, String target, String type, long flags,
                                        String data);

    @Override
    public void mountIn(String dir, String source, String target, String type, long flags, String data) {
        check(mountIn0(dir, source, target, type, flags, data), "mount " + source + " (from " + dir + ") to",
                target);
    }

    // ---- network namespaces (issue 13): one block, appended ----------------------------------------------

    private static native long netnsCreate0(String target);

    private static native long netnsJoin0(String path);

    @Override
    public void createNetns(String target) {
        check(netnsCreate0(target), "create network namespace at", target);
    }

    @Override
    public void joinNetns(String path) {
        check(netnsJoin0(path), "setns network namespace", path);
    }
}
