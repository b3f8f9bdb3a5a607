package dev.berth.sys;

/**
 * errno values and their messages, worded as Go's syscall package words them (lowercase), because callers of
 * runc (containerd, podman) match on those substrings.
 */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int EBADF = 9;
    public static final int ECHILD = 10;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENOTDIR = 20;
    public static final int EISDIR = 21;
    public static final int EINVAL = 22;
    public static final int ENOSPC = 28;
    public static final int EPIPE = 32;
    public static final int ENOSYS = 38;
    public static final int ENOTEMPTY = 39;
    public static final int ELOOP = 40;
    public static final int EXDEV = 18;
    public static final int ETIMEDOUT = 110;

    private static final String[] MESSAGES = new String[134];

    static {
        String[] pairs = {
            "1", "operation not permitted", "2", "no such file or directory", "3", "no such process",
            "4", "interrupted system call", "5", "input/output error", "6", "no such device or address",
            "7", "argument list too long", "8", "exec format error", "9", "bad file descriptor",
            "10", "no child processes", "11", "resource temporarily unavailable", "12", "cannot allocate memory",
            "13", "permission denied", "14", "bad address", "15", "block device required",
            "16", "device or resource busy", "17", "file exists", "18", "invalid cross-device link",
            "19", "no such device", "20", "not a directory", "21", "is a directory", "22", "invalid argument",
            "23", "too many open files in system", "24", "too many open files",
            "25", "inappropriate ioctl for device", "26", "text file busy", "27", "file too large",
            "28", "no space left on device", "29", "illegal seek", "30", "read-only file system",
            "31", "too many links", "32", "broken pipe", "33", "numerical argument out of domain",
            "34", "numerical result out of range", "35", "resource deadlock avoided", "36", "file name too long",
            "37", "no locks available", "38", "function not implemented", "39", "directory not empty",
            "40", "too many levels of symbolic links", "61", "no data available", "62", "timer expired",
            "75", "value too large for defined data type", "84", "invalid or incomplete multibyte or wide character",
            "88", "socket operation on non-socket", "95", "operation not supported",
            "98", "address already in use", "104", "connection reset by peer", "110", "connection timed out",
            "111", "connection refused", "122", "disk quota exceeded",
        };
        for (int i = 0; i < pairs.length; i += 2) {
            MESSAGES[Integer.parseInt(pairs[i])] = pairs[i + 1];
        }
    }

    private Errno() {}

    /** The message for an errno: {@code "no such file or directory"}. */
    public static String message(int errno) {
        if (errno > 0 && errno < MESSAGES.length && MESSAGES[errno] != null) {
            return MESSAGES[errno];
        }
        return "errno " + errno;
    }
}
