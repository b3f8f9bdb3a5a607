package dev.berth.runtime.process;

import dev.berth.sys.FdSyscalls;
import dev.berth.sys.ProcessSyscalls;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A fake of the process and fd roles for unit tests: records every call as a line
 * ({@code "spawn /proc/self/fd/7 …"}) and serves reads from scripted bytes, so the Java side of a protocol runs
 * without a kernel.
 */
final class RecordingSyscalls implements ProcessSyscalls, FdSyscalls {
    public final List<String> calls = new ArrayList<>();
    private final Deque<byte[]> reads = new ArrayDeque<>();
    private final ByteQueue pending = new ByteQueue();
    public final List<byte[]> writes = new ArrayList<>();
    public int nextPid = 100;
    public RuntimeException spawnFailure;

    /** Bytes a later {@link #read} returns, in order; when they run out, reads return end of file. */
    public RecordingSyscalls script(byte[] bytes) {
        reads.add(bytes);
        return this;
    }

    private static final class ByteQueue {
        byte[] data = new byte[0];
        int pos;
    }

    @Override
    public int[] socketpair() {
        calls.add("socketpair");
        return new int[] {10, 11};
    }

    @Override
    public int[] pipe() {
        calls.add("pipe");
        return new int[] {12, 13};
    }

    @Override
    public int open(String path, int flags, int mode) {
        calls.add("open " + path + " " + Integer.toOctalString(flags) + " " + Integer.toOctalString(mode));
        return 14;
    }

    @Override
    public int read(int fd, byte[] buf, int off, int len) {
        if (pending.pos >= pending.data.length) {
            if (reads.isEmpty()) {
                return 0;
            }
            pending.data = reads.poll();
            pending.pos = 0;
        }
        int n = Math.min(len, pending.data.length - pending.pos);
        System.arraycopy(pending.data, pending.pos, buf, off, n);
        pending.pos += n;
        return n;
    }

    @Override
    public void writeFully(int fd, byte[] buf) {
        calls.add("write " + fd + " " + buf.length);
        writes.add(buf.clone());
    }

    @Override
    public void close(int fd) {
        calls.add("close " + fd);
    }

    @Override
    public void dup2(int oldFd, int newFd) {
        calls.add("dup2 " + oldFd + " " + newFd);
    }

    @Override
    public int spawn(String path, List<String> argv, List<String> env, Map<Integer, Integer> fds) {
        calls.add("spawn " + path + " " + argv + " " + env + " " + fds);
        if (spawnFailure != null) {
            throw spawnFailure;
        }
        return nextPid++;
    }

    @Override
    public Optional<ExitStatus> waitpid(int pid, boolean noHang) {
        calls.add("waitpid " + pid + (noHang ? " nohang" : ""));
        return Optional.of(new ExitStatus(pid, 0, 0));
    }

    @Override
    public void kill(int pid, int signal) {
        calls.add("kill " + pid + " " + signal);
    }

    @Override
    public boolean processExists(int pid) {
        return true;
    }

    @Override
    public int sealedCopy(String name, byte[] contents) {
        calls.add("sealedCopy " + name + " " + contents.length);
        return 7;
    }

    @Override
    public void mkfifo(String path, int mode) {
        calls.add("mkfifo " + path + " " + Integer.toOctalString(mode));
    }

    @Override
    public void setChildSubreaper() {
        calls.add("setChildSubreaper");
    }

    @Override
    public void setpriority(int which, int who, int nice) {
        calls.add("setpriority " + which + " " + who + " " + nice);
    }

    @Override
    public int getpid() {
        return 1;
    }
}
