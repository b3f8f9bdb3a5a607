package dev.berth.sys;

/**
 * The event role: eventfd counters, inotify watches and waiting for readable fds with {@code poll(2)}. Events are
 * read from their fds, so the role includes {@link FdSyscalls}.
 */
public interface EventSyscalls extends FdSyscalls {

    /**
     * A close-on-exec eventfd with its counter at 0; returns its fd. Writing an 8-byte value (native byte order)
     * adds it to the counter; an 8-byte read blocks while the counter is 0, then returns it and resets it.
     */
    int eventfd();

    /** A close-on-exec inotify instance; returns its fd. Events are read from it with {@link #read}. */
    int inotifyInit();

    /** inotify event bit: the watched file was modified. */
    int IN_MODIFY = 0x2;

    /** Watches a path for the events in {@code mask} on an inotify instance; returns the watch descriptor. */
    int inotifyAddWatch(int fd, String path, int mask);

    /** Removes a watch (EINVAL if the kernel already has, with the file); the kernel queues {@code IN_IGNORED}. */
    void inotifyRmWatch(int fd, int wd);

    /**
     * Waits until at least one of {@code fds} can be read without blocking (data, end of file or an error to
     * report), or {@code timeoutMillis} pass ({@code -1}: no limit).
     *
     * @return for each of {@code fds}, in order, whether it is ready; all false after a timeout
     */
    boolean[] pollReadable(int[] fds, int timeoutMillis);
}
