package dev.berth.manager.server;

import dev.berth.api.errdefs.BerthException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * One part of berthd's start run on a virtual thread of its own while the start goes on (and berthd serves); what
 * needs its outcome waits for {@link #done}, {@link #join(String, CompletableFuture)} rethrows its failure as the
 * part threw it, and {@link #settle} lets a close wait for it before the stores it uses close.
 *
 * @param <T> what the part reports
 */
final class Recovering<T> {

    /** A start-up step that may fail as the start does. */
    interface Step<T> {
        T run() throws IOException;
    }

    private final String what;
    private final CompletableFuture<T> result = new CompletableFuture<>();

    private Recovering(String what) {
        this.what = what;
    }

    /** Starts {@code step}; {@code what} names it in an interruption's error. */
    static <T> Recovering<T> start(String what, Step<T> step) {
        Recovering<T> r = new Recovering<>(what);
        Thread.ofVirtual().name("berthd-" + what.replace(' ', '-')).start(() -> {
            try {
                r.result.complete(step.run());
            } catch (IOException | RuntimeException e) { // handed to join, which rethrows it
                r.result.completeExceptionally(e);
            } finally {
                // an Error goes on to the thread's handler; join must not wait for ever
                r.result.completeExceptionally(BerthException.internal(what + ": ended without a result"));
            }
        });
        return r;
    }

    /** Waits for the step to end, whatever its outcome: for a start that fails before it would {@link #join}. */
    void settle() {
        try {
            result.handle((v, e) -> null).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("settle " + what + ": " + e.getCause(), e.getCause());
        }
    }

    /** Completes with the step's outcome. */
    CompletableFuture<T> done() {
        return result.copy();
    }

    /** What {@code future} completes with, once it does; its IOException or unchecked exception rethrown. */
    static <T> T join(String what, CompletableFuture<T> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(what + ": interrupted");
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case IOException io -> throw io;
                case RuntimeException r -> throw r;
                default -> throw BerthException.internal(what + ": " + e.getCause());
            }
        }
    }
}
