package dev.berth.shim.process;

import dev.berth.sys.Errno;
import dev.berth.sys.ProcessSyscalls;
import dev.berth.sys.SyscallException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * The future exits of the children a process role spawned, for its {@code waitpid}: what {@link ReaperSyscalls}
 * and {@link Monitor} share. Any other pid is ECHILD: someone else reaps it.
 */
final class SpawnedChildren {
    private final Map<Integer, CompletableFuture<Reaper.Exit>> children = new ConcurrentHashMap<>();

    void add(int pid, CompletableFuture<Reaper.Exit> exit) {
        children.put(pid, exit);
    }

    Optional<ProcessSyscalls.ExitStatus> waitpid(int pid, boolean noHang) {
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
            return Optional.of(new ProcessSyscalls.ExitStatus(pid, e.exitCode(), e.signal()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SyscallException("waitpid", Integer.toString(pid), Errno.EINTR);
        } catch (ExecutionException e) {
            throw new IllegalStateException("waitpid " + pid + ": " + e.getCause().getMessage(), e.getCause());
        }
    }
}
