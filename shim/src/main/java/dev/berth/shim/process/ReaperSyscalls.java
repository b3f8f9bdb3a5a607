package dev.berth.shim.process;

import dev.berth.sys.Errno;
import dev.berth.sys.ProcessSyscalls;
import dev.berth.sys.SyscallException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * The process role with children waited for through the {@link Reaper}: {@code spawn} claims the new pid and
 * {@code waitpid(pid)} waits on that claim, so that code written for a lone process (the runtime library's
 * berth-init and hooks, the CLI engine's runtime binary) works beside the shim's {@code waitpid(-1)} loop.
 * Every other call goes to the real system calls; {@code Syscalls.withProcesses} puts it in front of the rest.
 */
public final class ReaperSyscalls implements ProcessSyscalls {
    private final ProcessSyscalls sys;
    private final Reaper reaper;
    private final Map<Integer, CompletableFuture<Reaper.Exit>> children = new ConcurrentHashMap<>();

    public ReaperSyscalls(ProcessSyscalls sys, Reaper reaper) {
        this.sys = sys;
        this.reaper = reaper;
    }

    @Override
    public int spawn(String path, List<String> argv, List<String> env, Map<Integer, Integer> fds) {
        try (Reaper.Window window = reaper.open()) {
            int pid = sys.spawn(path, argv, env, fds);
            children.put(pid, window.claim(pid));
            return pid;
        }
    }

    /** Waits for a child spawned through this object; any other pid (or -1) is ECHILD: the reaper owns it. */
    @Override
    public Optional<ExitStatus> waitpid(int pid, boolean noHang) {
        CompletableFuture<Reaper.Exit> exit = children.get(pid);
        if (exit == null) {
            throw new SyscallException("waitpid", Integer.toString(pid), Errno.ECHILD);
        }
        if (noHang && !exit.isDone()) {
            return Optional.empty();
        }
        try {
            Reaper.Exit e = exit.get();
            children.remove(pid);
            return Optional.of(new ExitStatus(pid, e.exitCode(), e.signal()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SyscallException("waitpid", Integer.toString(pid), Errno.EINTR);
        } catch (ExecutionException e) {
            throw new IllegalStateException("waitpid " + pid + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    @Override
    public void kill(int pid, int signal) {
        sys.kill(pid, signal);
    }

    @Override
    public boolean processExists(int pid) {
        return sys.processExists(pid);
    }

    @Override
    public void setChildSubreaper() {
        sys.setChildSubreaper();
    }

    @Override
    public int getpid() {
        return sys.getpid();
    }

    @Override
    public void setpriority(int which, int who, int nice) {
        sys.setpriority(which, who, nice);
    }
}
