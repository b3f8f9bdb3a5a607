package dev.berth.sys;

/**
 * The unix-socket role: connect, listen, accept, and send or receive file descriptors ({@code SCM_RIGHTS}). Sockets are
 * fds, so the role includes {@link FdSyscalls} to read, write and close them.
 */
public interface SocketSyscalls extends FdSyscalls {

    /** Connects a close-on-exec unix stream socket to a path and returns its fd. */
    int connectUnix(String path);

    /** A close-on-exec unix stream socket bound to a new path and listening; returns its fd. */
    int listenUnix(String path);

    /** Accepts one connection on a listening socket within a timeout (ETIMEDOUT otherwise); returns its fd. */
    int acceptUnix(int socketFd, int timeoutMillis);

    /** Receives one file descriptor sent with {@code SCM_RIGHTS}. */
    int receiveFd(int socketFd);

    /**
     * Sends {@code data} (at most 64 KiB) in one {@code sendmsg}, with {@code fds} attached ({@code SCM_RIGHTS},
     * at most 16); retries until all of {@code data} is sent.
     */
    void sendFds(int socketFd, byte[] data, int[] fds);
}
