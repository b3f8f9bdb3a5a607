package dev.berth.shim.process;

import dev.berth.runtime.syscall.Errno;
import dev.berth.runtime.syscall.SyscallException;
import dev.berth.runtime.syscall.Syscalls;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * {@link Syscalls} whose children are waited for through the {@link Reaper}: {@code spawn} claims the new pid and
 * {@code waitpid(pid)} waits on that claim, so that code written for a lone process (the runtime library's
 * berth-init and hooks, the CLI engine's runtime binary) works beside the shim's {@code waitpid(-1)} loop.
 * Every other call goes to the real system calls.
 */
public final class ReaperSyscalls implements Syscalls {
    private final Syscalls sys;
    private final Reaper reaper;
    private final Map<Integer, CompletableFuture<Reaper.Exit>> children = new ConcurrentHashMap<>();

    public ReaperSyscalls(Syscalls sys, Reaper reaper) {
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

    @Override
    public int spawnInNewSession(String path, List<String> argv, List<String> env, Map<Integer, Integer> fds) {
        try (Reaper.Window window = reaper.open()) {
            int pid = sys.spawnInNewSession(path, argv, env, fds);
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
    public int[] socketpair() {
        return sys.socketpair();
    }

    @Override
    public int[] pipe() {
        return sys.pipe();
    }

    @Override
    public int open(String path, int flags, int mode) {
        return sys.open(path, flags, mode);
    }

    @Override
    public int read(int fd, byte[] buf, int off, int len) {
        return sys.read(fd, buf, off, len);
    }

    @Override
    public void writeFully(int fd, byte[] buf) {
        sys.writeFully(fd, buf);
    }

    @Override
    public void close(int fd) {
        sys.close(fd);
    }

    @Override
    public void dup2(int oldFd, int newFd) {
        sys.dup2(oldFd, newFd);
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
    public int sealedCopy(String name, byte[] contents) {
        return sys.sealedCopy(name, contents);
    }

    @Override
    public void mkfifo(String path, int mode) {
        sys.mkfifo(path, mode);
    }

    @Override
    public void setChildSubreaper() {
        sys.setChildSubreaper();
    }

    @Override
    public void setpriority(int which, int who, int nice) {
        sys.setpriority(which, who, nice);
    }

    @Override
    public int getpid() {
        return sys.getpid();
    }

    @Override
    public int connectUnix(String path) {
        return sys.connectUnix(path);
    }

    @Override
    public int listenUnix(String path) {
        return sys.listenUnix(path);
    }

    @Override
    public int acceptUnix(int socketFd, int timeoutMillis) {
        return sys.acceptUnix(socketFd, timeoutMillis);
    }

    @Override
    public int receiveFd(int socketFd) {
        return sys.receiveFd(socketFd);
    }

    @Override
    public void mount(String source, String target, String type, long flags, String data) {
        sys.mount(source, target, type, flags, data);
    }

    @Override
    public void unmount(String target, int flags) {
        sys.unmount(target, flags);
    }

    @Override
    public void mountIn(String dir, String source, String target, String type, long flags, String data) {
        sys.mountIn(dir, source, target, type, flags, data);
    }

    @Override
    public void setWindowSize(int fd, int rows, int cols) {
        sys.setWindowSize(fd, rows, cols);
    }

    @Override
    public int eventfd() {
        return sys.eventfd();
    }

    @Override
    public int inotifyInit() {
        return sys.inotifyInit();
    }

    @Override
    public int inotifyAddWatch(int fd, String path, int mask) {
        return sys.inotifyAddWatch(fd, path, mask);
    }

    @Override
    public void inotifyRmWatch(int fd, int wd) {
        sys.inotifyRmWatch(fd, wd);
    }

    @Override
    public boolean[] pollReadable(int[] fds, int timeoutMillis) {
        return sys.pollReadable(fds, timeoutMillis);
    }
}
