package dev.berth.sys;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link Syscalls#withProcesses}: the process role from one object, every other call from another. */
final class ProcessesReplaced implements Syscalls {
    private final Syscalls sys;
    private final ProcessSyscalls processes;

    ProcessesReplaced(Syscalls sys, ProcessSyscalls processes) {
        this.sys = sys;
        this.processes = processes;
    }

    @Override
    public int spawn(String path, List<String> argv, List<String> env, Map<Integer, Integer> fds) {
        return processes.spawn(path, argv, env, fds);
    }

    @Override
    public Optional<ExitStatus> waitpid(int pid, boolean noHang) {
        return processes.waitpid(pid, noHang);
    }

    @Override
    public void kill(int pid, int signal) {
        processes.kill(pid, signal);
    }

    @Override
    public boolean processExists(int pid) {
        return processes.processExists(pid);
    }

    @Override
    public void setChildSubreaper() {
        processes.setChildSubreaper();
    }

    @Override
    public int getpid() {
        return processes.getpid();
    }

    @Override
    public void setpriority(int which, int who, int nice) {
        processes.setpriority(which, who, nice);
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
    public int[] pipe() {
        return sys.pipe();
    }

    @Override
    public int[] socketpair() {
        return sys.socketpair();
    }

    @Override
    public void dup2(int oldFd, int newFd) {
        sys.dup2(oldFd, newFd);
    }

    @Override
    public void mkfifo(String path, int mode) {
        sys.mkfifo(path, mode);
    }

    @Override
    public int sealedCopy(String name, byte[] contents) {
        return sys.sealedCopy(name, contents);
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
    public void sendFds(int socketFd, byte[] data, int[] fds) {
        sys.sendFds(socketFd, data, fds);
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
