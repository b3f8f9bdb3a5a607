package dev.berth.runtime.syscall;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The system calls the Java side of the runtime makes. Every call checks its result and turns a failure into a
 * {@link SyscallException} naming the operation, the object and the errno; calls are retried on EINTR where that
 * is safe. {@link LinuxSyscalls} binds them with FFM; tests use a recording fake.
 */
public interface Syscalls {

    /** A connected pair of close-on-exec unix stream sockets. */
    int[] socketpair();

    /** A pipe with both ends close-on-exec: {@code {read end, write end}}. */
    int[] pipe();

    /** {@code open(2)} flags for {@link #open}; the file is always opened close-on-exec. */
    int O_RDONLY = 0;
    int O_WRONLY = 01;
    int O_RDWR = 02;
    int O_CREAT = 0100;
    int O_TRUNC = 01000;
    int O_APPEND = 02000;

    /** Opens a file close-on-exec with {@code open(2)} flags and a mode for a file it creates; returns its fd. */
    int open(String path, int flags, int mode);

    /** Reads up to {@code len} bytes; 0 means end of file. */
    int read(int fd, byte[] buf, int off, int len);

    /** Writes all of {@code buf}. */
    void writeFully(int fd, byte[] buf);

    void close(int fd);

    /** {@code dup2(2)}: {@code newFd} becomes a copy of {@code oldFd} (closed first if open), not close-on-exec. */
    void dup2(int oldFd, int newFd);

    /**
     * Starts a program with {@code posix_spawn}: safe in a multithreaded JVM (no fork). Signal dispositions are
     * reset to default and the signal mask is emptied in the child.
     *
     * @param fds child fd number → parent fd to dup onto it; every other fd follows its close-on-exec flag
     * @return the child's pid
     */
    int spawn(String path, List<String> argv, List<String> env, Map<Integer, Integer> fds);

    /**
     * {@link #spawn} with the child leading a new session ({@code POSIX_SPAWN_SETSID}): its own session and
     * process group, no controlling terminal, so that it outlives its parent's session (a daemon).
     */
    int spawnInNewSession(String path, List<String> argv, List<String> env, Map<Integer, Integer> fds);

    /** Waits for a child; with {@code noHang}, returns empty if it has not changed state. */
    Optional<ExitStatus> waitpid(int pid, boolean noHang);

    /** Sends a signal; throws with ESRCH if the process is gone. */
    void kill(int pid, int signal);

    /** True if a process with this pid exists (it may be a zombie). */
    boolean processExists(int pid);

    /**
     * An anonymous, sealed, close-on-exec copy of a file (a {@code memfd}); returns its fd. Executing it through
     * {@code /proc/self/fd/N} means no process can reach or overwrite the file on disk through
     * {@code /proc/PID/exe}.
     */
    int sealedCopy(String name, byte[] contents);

    void mkfifo(String path, int mode);

    /** Marks this process as the child subreaper: orphaned descendants are reparented to it. */
    void setChildSubreaper();

    int getpid();

    /** {@code setpriority(2)} targets: one thread (by tid; 0: the caller), or every thread of a process group. */
    int PRIO_PROCESS = 0;
    int PRIO_PGRP = 1;

    /** {@code setpriority(2)}: the nice value ({@code -20..19}) of {@code who} (0: the caller's thread or group). */
    void setpriority(int which, int who, int nice);

    /** Connects a close-on-exec unix stream socket to a path and returns its fd. */
    int connectUnix(String path);

    /** A close-on-exec unix stream socket bound to a new path and listening; returns its fd. */
    int listenUnix(String path);

    /** Accepts one connection on a listening socket within a timeout (ETIMEDOUT otherwise); returns its fd. */
    int acceptUnix(int socketFd, int timeoutMillis);

    /** Receives one file descriptor sent with {@code SCM_RIGHTS}. */
    int receiveFd(int socketFd);

    /** {@code mount(2)}; empty type and data are passed as NULL. */
    void mount(String source, String target, String type, long flags, String data);

    /** {@code umount2(2)}, e.g. with {@code MNT_DETACH} (2). */
    void unmount(String target, int flags);

    /** Sets a terminal's window size. */
    void setWindowSize(int fd, int rows, int cols);

    /**
     * A close-on-exec eventfd with its counter at 0; returns its fd. Writing an 8-byte value (native byte order)
     * adds it to the counter; an 8-byte read blocks while the counter is 0, then returns it and resets it.
     */
    int eventfd();

    /** A close-on-exec inotify instance; returns its fd. Events are read from it with {@link #read}. */
    int inotifyInit();

    /** inotify event bit: the watched file was modified. */
    int IN_MODIFY = 0x2;

    /** Watches a path for the events in {@code mask} on an inotify instance; returns the watch descriptor. */
    int inotifyAddWatch(int fd, String path, int mask);

    /** Removes a watch (EINVAL if the kernel already has, with the file); the kernel queues {@code IN_IGNORED}. */
    void inotifyRmWatch(int fd, int wd);

    /**
     * Waits until at least one of {@code fds} can be read without blocking (data, end of file or an error to
     * report), or {@code timeoutMillis} pass ({@code -1}: no limit).
     *
     * @return for each of {@code fds}, in order, whether it is ready; all false after a timeout
     */
    boolean[] pollReadable(int[] fds, int timeoutMillis);

    /** How a waited-for process ended. */
    record ExitStatus(int pid, int exitCode, int signal) {
        /** The shell's convention: the exit code, or 128 + the signal that killed it. */
        public int shellStatus() {
            return signal != 0 ? 128 + signal : exitCode;
        }
    }

    // ---- mounts whose options pass a page (issue 10, defect 4): one block, appended -------------------------

    /** The most bytes of {@code mount(2)} data the kernel copies (a page with its NUL); it cuts the rest silently. */
    int MOUNT_DATA_MAX = 4095;

    /** The most lower directories one overlay stacks (the kernel's {@code OVL_MAX_STACK}). */
    int OVERLAY_MAX_LOWER = 500;

    /** errno for data the kernel cannot take: argument list too long. */
    int E2BIG = 7;

    /**
     * {@code mount(2)} from a native thread of its own whose working directory is {@code dir}: the thread calls
     * {@code unshare(CLONE_FS)} before its {@code chdir}, so relative paths in {@code source}, {@code target} and
     * {@code data} resolve against {@code dir} while no other thread's working directory changes.
     */
    void mountIn(String dir, String source, String target, String type, long flags, String data);

    /**
     * {@link #mount} for data of any length the kernel can take. Data within {@link #MOUNT_DATA_MAX} bytes is passed
     * as it is. Longer data has the paths of its {@code lowerdir}, {@code upperdir} and {@code workdir} options made
     * relative to their longest common parent and is mounted with {@link #mountIn} there, as containerd's mount
     * helper does from a chdir'd child: an overlay of a snapshot per layer then takes hundreds of layers.
     *
     * @throws SyscallException E2BIG, naming the number of lower directories, if the data is still longer than a
     *     page or stacks more than {@link #OVERLAY_MAX_LOWER} of them; never a silently cut option string
     */
    default void mountLongData(String source, String target, String type, long flags, String data) {
        RelativeMountData relative = RelativeMountData.of(data);
        String op = "mount " + (type.isEmpty() ? source : type) + " with " + relative.lowerCount()
                + " lower directories to";
        if (relative.lowerCount() > OVERLAY_MAX_LOWER) {
            throw new SyscallException(op + " (overlayfs stacks at most " + OVERLAY_MAX_LOWER + ")", target,
                    E2BIG);
        }
        if (data.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= MOUNT_DATA_MAX) {
            mount(source, target, type, flags, data);
            return;
        }
        int length = relative.data().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (relative.dir().isEmpty() || length > MOUNT_DATA_MAX) {
            throw new SyscallException(op + " (options of " + length + " bytes, even with paths relative to "
                    + relative.dir().map(Object::toString).orElse("a common parent") + "; the kernel takes "
                    + MOUNT_DATA_MAX + ")", target, E2BIG);
        }
        mountIn(relative.dir().get().toString(), source, target, type, flags, relative.data());
    }

    /**
     * Mount data with the paths of its {@code lowerdir}, {@code upperdir} and {@code workdir} options relative to
     * {@code dir}, their longest common parent; the data as it was and no dir when a path is not absolute.
     */
    record RelativeMountData(java.util.Optional<java.nio.file.Path> dir, String data, int lowerCount) {
        private static final List<String> PATH_OPTIONS = List.of("lowerdir", "upperdir", "workdir");

        public static RelativeMountData of(String data) {
            List<String> options = List.of(data.split(","));
            List<java.nio.file.Path> paths = new java.util.ArrayList<>();
            int lowers = 0;
            for (String option : options) {
                int eq = option.indexOf('=');
                if (eq > 0 && PATH_OPTIONS.contains(option.substring(0, eq))) {
                    for (String p : option.substring(eq + 1).split(":")) {
                        paths.add(java.nio.file.Path.of(p));
                        lowers += option.startsWith("lowerdir=") ? 1 : 0;
                    }
                }
            }
            if (paths.isEmpty() || paths.stream().anyMatch(p -> !p.isAbsolute() || p.getParent() == null)) {
                return new RelativeMountData(java.util.Optional.empty(), data, lowers);
            }
            java.nio.file.Path common = paths.getFirst().getParent();
            for (java.nio.file.Path p : paths) {
                while (!p.startsWith(common) || p.equals(common)) {
                    common = common.getParent();
                }
            }
            List<String> rewritten = new java.util.ArrayList<>();
            for (String option : options) {
                int eq = option.indexOf('=');
                if (eq > 0 && PATH_OPTIONS.contains(option.substring(0, eq))) {
                    java.nio.file.Path dir = common;
                    rewritten.add(option.substring(0, eq + 1) + String.join(":",
                            java.util.Arrays.stream(option.substring(eq + 1).split(":"))
                                    .map(p -> dir.relativize(java.nio.file.Path.of(p)).toString()).toList()));
                } else {
                    rewritten.add(option);
                }
            }
            return new RelativeMountData(java.util.Optional.of(common), String.join(",", rewritten), lowers);
        }
    }
}
