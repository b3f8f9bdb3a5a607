package dev.berth.runtime.container;

import dev.berth.sys.SocketSyscalls;
import java.nio.file.Path;

/**
 * Where the pty master of a process with {@code terminal: true} is sent: a unix socket to connect to (runc's
 * {@code --console-socket}), or an already connected socket the caller owns (a caller relaying the console
 * itself, as {@code run} does in the foreground).
 */
public sealed interface ConsoleSocket {
    record AtPath(Path path) implements ConsoleSocket {}

    record Connected(int fd) implements ConsoleSocket {}

    /** The fd to hand to berth-init, or -1 for none. */
    static int connect(SocketSyscalls sys, ConsoleSocket console) {
        // instanceof, not a pattern switch: each pattern switch spins a class at run time that the AOT cache
        // cannot keep, a few milliseconds of every CLI start
        if (console instanceof AtPath p) {
            return sys.connectUnix(p.path().toString());
        }
        return console instanceof Connected c ? c.fd() : -1;
    }

    /** Closes what {@link #connect} opened; a caller's socket stays open. */
    static void release(SocketSyscalls sys, ConsoleSocket console, int fd) {
        if (console instanceof AtPath && fd >= 0) {
            sys.close(fd);
        }
    }
}
