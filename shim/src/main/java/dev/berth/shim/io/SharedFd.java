package dev.berth.shim.io;

import dev.berth.sys.Syscalls;

/**
 * An fd used by several threads (the pty master: read by one copier, written by another, resized by calls) and
 * closed once, after the last use that began before {@link #close()}: closing it under a thread blocked in
 * {@code read} would free the number for reuse while that thread still meant the old file.
 */
final class SharedFd implements AutoCloseable {
    private final Syscalls sys;
    private final int fd;
    private int users;
    private boolean closed;

    SharedFd(Syscalls sys, int fd) {
        this.sys = sys;
        this.fd = fd;
    }

    /** Begins a use; false once closed. Every true is paired with {@link #release()}. */
    synchronized boolean acquire() {
        if (closed) {
            return false;
        }
        users++;
        return true;
    }

    /** The fd, valid between {@link #acquire()} and {@link #release()}. */
    int fd() {
        return fd;
    }

    synchronized void release() {
        users--;
        if (closed && users == 0) {
            sys.close(fd);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (users == 0) {
            sys.close(fd);
        }
    }
}
