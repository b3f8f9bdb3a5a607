package dev.berth.sys;

/** A failed system call: the operation, the object it acted on, and the errno. */
public final class SyscallException extends RuntimeException {
    private final String op;
    private final String object;
    private final int errno;

    public SyscallException(String op, String object, int errno) {
        super((object == null || object.isEmpty() ? op : op + " " + object) + ": " + Errno.message(errno));
        this.op = op;
        this.object = object;
        this.errno = errno;
    }

    public String op() {
        return op;
    }

    public String object() {
        return object;
    }

    public int errno() {
        return errno;
    }
}
