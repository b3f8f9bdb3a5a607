package dev.berth.shim.server;

import dev.berth.log.Log;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * When a shim server exits: never while it serves a task; once it has served none for its idle period and its
 * address has not been handed out for that long either ({@link ShimSocket#release}, under the claim lock, so that
 * an address {@code start} just printed is still served). A Shutdown that finds no task left only shortens the
 * wait for a server of one container ({@link ShimGroup.Scope#CONTAINER}), which exits at once as containerd's
 * runc shim does; a group's server stays for the next task, which then starts no JVM.
 *
 * <p>This also covers a server nobody gives a task (its creator was killed before Create): it exits after the idle
 * period.
 */
final class IdleExit {
    private static final Log LOG = Log.of(IdleExit.class);
    private static final Duration CHECK = Duration.ofMillis(250);

    private final Path socket;
    private final Duration idle;
    private final BooleanSupplier closeIfIdle;
    private final Clock clock;
    private boolean shutdownAsked;
    private Instant idleSince;

    /**
     * @param closeIfIdle true, and from then on refusing new tasks, if the server serves and creates no task
     */
    IdleExit(Path socket, Duration idle, BooleanSupplier closeIfIdle, Clock clock) {
        this.socket = socket;
        this.idle = idle;
        this.closeIfIdle = closeIfIdle;
        this.clock = clock;
    }

    /** A Shutdown found no task: a server of one container exits now (if no start handed it out since). */
    synchronized void shutdownAsked() {
        shutdownAsked = true;
        notifyAll();
    }

    /**
     * Returns once the server has released its socket: idle for the whole idle period (or asked to shut down with
     * {@code exitOnShutdown}), and not handed out meanwhile.
     *
     * @param busy whether the server serves or creates a task now
     */
    void await(BooleanSupplier busy, boolean exitOnShutdown) throws InterruptedException {
        while (true) {
            Instant now = clock.instant();
            boolean asked;
            synchronized (this) {
                if (busy.getAsBoolean()) {
                    idleSince = null;
                    shutdownAsked = false;
                } else if (idleSince == null) {
                    idleSince = now;
                }
                asked = shutdownAsked && exitOnShutdown;
                shutdownAsked = false;
            }
            if (idleSince != null && (asked || !now.isBefore(idleSince.plus(idle)))) {
                Instant notAfter = asked ? now : now.minus(idle);
                try {
                    if (ShimSocket.release(socket, notAfter, closeIfIdle)) {
                        LOG.info("no task left: exiting", "socket", socket, "idle_ms",
                                Duration.between(idleSince, now).toMillis());
                        return;
                    }
                } catch (IOException e) {
                    LOG.warn("release socket", e, "socket", socket);
                    return; // the socket is gone or unreadable: nobody can be handed this server any more
                }
            }
            synchronized (this) {
                if (!shutdownAsked) {
                    wait(CHECK.toMillis());
                }
            }
        }
    }
}
