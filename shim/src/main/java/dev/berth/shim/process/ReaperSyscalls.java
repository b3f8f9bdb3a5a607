package dev.berth.shim.process;

import dev.berth.sys.ProcessSyscalls;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The process role with children waited for through the {@link Reaper}: {@code spawn} claims the new pid and
 * {@code waitpid(pid)} waits on that claim, so that code written for a lone process (the runtime library's
 * berth-init and hooks, the CLI engine's runtime binary) works beside the shim's {@code waitpid(-1)} loop.
 * Every other call goes to the real system calls; {@code Syscalls.withProcesses} puts it in front of the rest.
 */
public final class ReaperSyscalls implements ProcessSyscalls {
    private final ProcessSyscalls sys;
    private final Reaper reaper;
    private final SpawnedChildren children = new SpawnedChildren();

    public ReaperSyscalls(ProcessSyscalls sys, Reaper reaper) {
        this.sys = sys;
        this.reaper = reaper;
    }

    @Override
    public int spawn(String path, List<String> argv, List<String> env, Map<Integer, Integer> fds) {
        try (Reaper.Window window = reaper.open()) {
            int pid = sys.spawn(path, argv, env, fds);
            children.add(pid, window.claim(pid));
            return pid;
        }
    }

    /** Waits for a child spawned through this object; any other pid (or -1) is ECHILD: the reaper owns it. */
    @Override
    public Optional<ExitStatus> waitpid(int pid, boolean noHang) {
        return children.waitpid(pid, noHang);
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
