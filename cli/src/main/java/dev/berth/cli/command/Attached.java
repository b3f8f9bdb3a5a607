package dev.berth.cli.command;

import dev.berth.cli.client.CliException;
import dev.berth.cli.client.DaemonErrors;
import dev.berth.cli.terminal.SignalProxy;
import dev.berth.cli.terminal.Terminal;
import dev.berth.client.Attachment;
import dev.berth.client.Berth;
import dev.berth.client.DaemonException;
import java.io.InputStream;
import java.io.PrintStream;

/**
 * The local end of an attached container: raw mode and the window size for a terminal, signals forwarded
 * otherwise ({@code --sig-proxy}), stdin sent while {@code -i}, output copied until the streams end.
 */
final class Attached {
    private final Berth berth;
    private final String id;
    /** The exec whose terminal this is, or null for the container's own. */
    private final String execId;
    private final boolean tty;
    private final boolean stdin;
    private final boolean sigProxy;

    Attached(Berth berth, String id, boolean tty, boolean stdin, boolean sigProxy) {
        this(berth, id, null, tty, stdin, sigProxy);
    }

    Attached(Berth berth, String id, String execId, boolean tty, boolean stdin, boolean sigProxy) {
        this.berth = berth;
        this.id = id;
        this.execId = execId;
        this.tty = tty;
        this.stdin = stdin;
        this.sigProxy = sigProxy;
    }

    /**
     * Runs {@code start} (nothing for a running container), then copies until the output ends; true if it ended
     * because the engine read the detach keys (the process runs on).
     */
    boolean follow(Attachment attachment, Runnable start, InputStream in, PrintStream out, PrintStream err)
            throws Exception {
        boolean localTty = tty && Terminal.isTerminal();
        AutoCloseable raw = localTty ? Terminal.raw() : () -> { };
        try (raw) {
            start.run();
            if (localTty) {
                Runnable resize = () -> Terminal.size().ifPresent(s -> {
                    try {
                        if (execId == null) {
                            berth.containers().resize(id, s[1], s[0]);
                        } else {
                            berth.containers().execResize(execId, s[1], s[0]);
                        }
                    } catch (DaemonException e) {
                        // the container exited meanwhile: nothing to resize
                    }
                });
                resize.run();
                Terminal.onResize(resize);
            } else if (!tty && sigProxy) {
                SignalProxy.forwardTo(signal -> berth.containers().kill(id, String.valueOf(signal)));
            }
            if (stdin) {
                attachment.sendStdin(in); // its end closes the process's stdin in the engine
            }
            attachment.copyTo(out, err);
        }
        return attachment.detached();
    }

    /**
     * docker's {@code attach} and {@code exec} when the detach keys ended them: "read escape sequence" and exit
     * status 1 (docker's {@code run} and {@code start -a} return 0 quietly instead).
     */
    static CliException escaped() {
        return new CliException(1, "read escape sequence");
    }

    /** Removes a container (force, with its anonymous volumes) unless it is gone already. */
    static void removeQuietly(Berth berth, String id) {
        try {
            berth.containers().remove(id, new dev.berth.client.Options.Remove(true, true));
        } catch (DaemonException e) {
            // removed by the daemon meanwhile, or not removable: the start's failure is what the user sees
        }
    }

    /**
     * Starts the container; a command that cannot be run is docker's 127 (not found) or 126 (cannot be invoked),
     * any other failure 125.
     */
    static void start(Berth berth, String id) {
        try {
            berth.containers().start(id);
        } catch (DaemonException e) {
            if (e.unreachable()) {
                throw e;
            }
            throw new CliException(DaemonErrors.execFailureCode(e.getMessage()),
                    "Error response from daemon: " + e.getMessage(), e);
        }
    }
}
