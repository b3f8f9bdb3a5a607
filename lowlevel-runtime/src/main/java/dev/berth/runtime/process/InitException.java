package dev.berth.runtime.process;

/** berth-init reported a failed step, or the protocol with it broke. */
public final class InitException extends RuntimeException {
    private final int errno;

    public InitException(String message) {
        this(message, 0);
    }

    public InitException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
