package dev.berth.sys;

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
}
