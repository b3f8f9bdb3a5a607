package dev.berth.shim.server;

import dev.berth.log.Log;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The serving shim's safety net against being orphaned: once it has served no task for {@link #GRACE} while the
 * bundle it was started for is gone, nobody will give it one (its creator was killed before it called Create, and
 * the next one's recovery removed the bundle), so it exits as after a Shutdown. containerd's runc shim waits for a
 * Shutdown that a killed containerd never sends; a JVM per orphan costs tens of megabytes for good.
 */
final class OrphanWatch {
    private static final Log LOG = Log.of(OrphanWatch.class);
    /** How long the shim must have been idle without its bundle: longer than any create takes to arrive. */
    static final Duration GRACE = Duration.ofSeconds(3);
    private static final Duration CHECK = Duration.ofMillis(250);

    private final Path bundle;
    private final BooleanSupplier idle;
    private final Duration grace;

    /**
     * @param idle whether the shim serves no task and creates none
     * @param grace how long both must hold before {@link #awaitOrphaned} returns
     */
    OrphanWatch(Path bundle, BooleanSupplier idle, Duration grace) {
        this.bundle = bundle;
        this.idle = idle;
        this.grace = grace;
    }

    /** Watches on a virtual thread and runs {@code exit} once the shim is orphaned. */
    static void start(Path bundle, BooleanSupplier idle, Runnable exit) {
        OrphanWatch watch = new OrphanWatch(bundle, idle, GRACE);
        Thread.ofVirtual().name("orphan-watch").start(() -> {
            try {
                watch.awaitOrphaned();
                LOG.warn("serving no task and its bundle is gone: exiting", "bundle", bundle);
                exit.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Returns once the shim has been idle without its bundle for the whole grace period. */
    void awaitOrphaned() throws InterruptedException {
        long since = 0;
        boolean orphaned = false;
        while (true) {
            if (idle.getAsBoolean() && !Files.exists(bundle)) {
                long now = System.nanoTime();
                if (!orphaned) {
                    orphaned = true;
                    since = now;
                } else if (now - since >= grace.toNanos()) {
                    return;
                }
            } else {
                orphaned = false;
            }
            Thread.sleep(CHECK);
        }
    }
}
