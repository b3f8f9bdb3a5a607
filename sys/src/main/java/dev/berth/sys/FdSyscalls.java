package dev.berth.sys;

/**
 * The file-descriptor role: open, read, write and close, pipes and socket pairs, {@code dup2}, FIFOs and sealed
 * in-memory copies. Every fd it returns is close-on-exec. Failures are {@link SyscallException}s as in
 * {@link Syscalls}.
 */
public interface FdSyscalls {

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

    /** A pipe with both ends close-on-exec: {@code {read end, write end}}. */
    int[] pipe();

    /** A connected pair of close-on-exec unix stream sockets. */
    int[] socketpair();

    /** {@code dup2(2)}: {@code newFd} becomes a copy of {@code oldFd} (closed first if open), not close-on-exec. */
    void dup2(int oldFd, int newFd);

    void mkfifo(String path, int mode);

    /**
     * An anonymous, sealed, close-on-exec copy of a file (a {@code memfd}); returns its fd. Executing it through
     * {@code /proc/self/fd/N} means no process can reach or overwrite the file on disk through
     * {@code /proc/PID/exe}.
     */
    int sealedCopy(String name, byte[] contents);
}
