package dev.berth.shim.engine;

import dev.berth.sys.FdSyscalls;
import dev.berth.sys.SyscallException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fds of a {@link ProcessStdio} for one call: files and {@code /dev/null} opened here, the caller's fds as given.
 */
final class OpenedStdio implements AutoCloseable {
    private static final String[] NAMES = {"stdin", "stdout", "stderr"};

    private final FdSyscalls sys;
    private final Map<Integer, Integer> fds = new TreeMap<>();
    private final List<Integer> opened = new ArrayList<>();

    private OpenedStdio(FdSyscalls sys) {
        this.sys = sys;
    }

    /** Opens what needs opening; a file that cannot be opened is INVALID_ARGUMENT naming it. */
    static OpenedStdio open(FdSyscalls sys, ProcessStdio stdio, String op, String id) {
        OpenedStdio io = new OpenedStdio(sys);
        try {
            io.add(0, stdio.in(), op, id);
            io.add(1, stdio.out(), op, id);
            io.add(2, stdio.err(), op, id);
            return io;
        } catch (EngineException e) {
            io.close();
            throw e;
        }
    }

    private void add(int target, ProcessStdio.Stream stream, String op, String id) {
        int fd = switch (stream) {
            case ProcessStdio.Stream.Fd f -> f.fd();
            case ProcessStdio.Stream.Null n -> openFile(target, "/dev/null", FdSyscalls.O_RDWR, op, id);
            case ProcessStdio.Stream.File f -> openFile(target, f.path().toString(), target == 0 ? FdSyscalls.O_RDONLY
                    : FdSyscalls.O_WRONLY | FdSyscalls.O_CREAT | FdSyscalls.O_APPEND, op, id);
        };
        fds.put(target, fd);
    }

    private int openFile(int target, String path, int flags, String op, String id) {
        try {
            int fd = sys.open(path, flags, 0644);
            opened.add(fd);
            return fd;
        } catch (SyscallException e) {
            throw new EngineException(EngineException.Kind.INVALID_ARGUMENT,
                    op + " " + id + ": " + NAMES[target] + ": " + e.getMessage(), e);
        }
    }

    /** Container fd (0, 1, 2) → fd of this process. */
    Map<Integer, Integer> fds() {
        return fds;
    }

    @Override
    public void close() {
        for (int fd : opened) {
            sys.close(fd);
        }
        opened.clear();
    }
}
