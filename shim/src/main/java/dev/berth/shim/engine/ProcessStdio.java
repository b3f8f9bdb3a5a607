package dev.berth.shim.engine;

import java.nio.file.Path;

/**
 * Where a container process's fds 0, 1 and 2 go: {@link Stream.Null} ({@code /dev/null}), an fd of the shim, or a
 * file (opened for reading for stdin, else created if needed and appended to).
 */
public record ProcessStdio(Stream in, Stream out, Stream err) {
    /** One of the three standard streams. */
    public sealed interface Stream {
        /** {@code /dev/null}. */
        record Null() implements Stream {}

        /** An fd of the calling process, which stays open: the caller owns it. */
        record Fd(int fd) implements Stream {}

        /** A file or FIFO, opened for the call and closed after it. */
        record File(Path path) implements Stream {}
    }

    public static final Stream NULL = new Stream.Null();

    /** Every stream to {@code /dev/null}. */
    public static ProcessStdio none() {
        return new ProcessStdio(NULL, NULL, NULL);
    }

    /** The three streams to fds of the calling process. */
    public static ProcessStdio fds(int in, int out, int err) {
        return new ProcessStdio(new Stream.Fd(in), new Stream.Fd(out), new Stream.Fd(err));
    }
}
