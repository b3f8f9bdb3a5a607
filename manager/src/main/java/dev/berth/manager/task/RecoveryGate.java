package dev.berth.manager.task;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * Holds the task calls of a namespace while {@link TaskRecovery} has not yet taken back that namespace's tasks, so
 * that berthd serves while it recovers: a call in a namespace already recovered, or one with no bundles, goes on
 * at once; one in a namespace still being recovered waits for it (a task list must not miss a live task, a create
 * must not take the id of a task about to be reattached).
 *
 * <p>States: open (no recovery running: nothing waits) → {@link #close closed} (a recovery starts: every
 * namespace waits) → {@link #listed} (the namespaces with bundles are known; the others are open again) → each
 * {@link #recovered} → open. {@link #failed} opens every namespace still waiting with the recovery's error.
 */
final class RecoveryGate {
    /** Completes once the namespaces with bundles are known; then waiting on it ends for every other namespace. */
    private volatile CompletableFuture<Void> listing = CompletableFuture.completedFuture(null);
    private final Map<String, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();

    /** A recovery starts: every namespace waits until {@link #listed}. */
    void close() {
        listing = new CompletableFuture<>();
    }

    /** The namespaces with bundles to recover: they wait until {@link #recovered}, the others go on from now. */
    void listed(Collection<String> namespaces) {
        namespaces.forEach(ns -> pending.put(ns, new CompletableFuture<>()));
        listing.complete(null);
    }

    /** The tasks of {@code namespace} are back: its calls go on. */
    void recovered(String namespace) {
        CompletableFuture<Void> waiting = pending.remove(namespace);
        if (waiting != null) {
            waiting.complete(null);
        }
    }

    /** The recovery ended with {@code e}: every call still waiting fails with it (UNAVAILABLE), later ones go on. */
    void failed(Exception e) {
        BerthException error = new BerthException(ErrorKind.UNAVAILABLE, "recover tasks: " + e.getMessage(), e);
        CompletableFuture<Void> waitingForList = listing;
        listing = CompletableFuture.completedFuture(null);
        waitingForList.completeExceptionally(error);
        for (String ns : pending.keySet()) {
            CompletableFuture<Void> waiting = pending.remove(ns);
            if (waiting != null) {
                waiting.completeExceptionally(error);
            }
        }
    }

    /** Returns once the tasks of {@code namespace} are recovered; {@code what} names the call in errors. */
    void await(String what, String namespace) {
        join(what, listing);
        CompletableFuture<Void> waiting = pending.get(namespace);
        if (waiting != null) {
            join(what, waiting);
        }
    }

    private static void join(String what, CompletableFuture<Void> f) {
        if (f.isDone() && !f.isCompletedExceptionally()) {
            return;
        }
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BerthException(ErrorKind.CANCELLED, what + ": interrupted while tasks are recovered", e);
        } catch (ExecutionException e) {
            BerthException cause = (BerthException) e.getCause();
            throw new BerthException(cause.kind(), what + ": " + cause.getMessage(), cause);
        }
    }
}
