package dev.berth.sys;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The process role: start programs without forking the JVM, wait for them, signal them, and this process's own
 * pid, subreaper flag and nice values. Failures are {@link SyscallException}s as in {@link Syscalls}.
 */
public interface ProcessSyscalls {

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

    /** Marks this process as the child subreaper: orphaned descendants are reparented to it. */
    void setChildSubreaper();

    int getpid();

    /** {@code setpriority(2)} targets: one thread (by tid; 0: the caller), or every thread of a process group. */
    int PRIO_PROCESS = 0;
    int PRIO_PGRP = 1;

    /** {@code setpriority(2)}: the nice value ({@code -20..19}) of {@code who} (0: the caller's thread or group). */
    void setpriority(int which, int who, int nice);

    /** How a waited-for process ended. */
    record ExitStatus(int pid, int exitCode, int signal) {
        /** The shell's convention: the exit code, or 128 + the signal that killed it. */
        public int shellStatus() {
            return signal != 0 ? 128 + signal : exitCode;
        }
    }
}
