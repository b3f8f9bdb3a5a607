package dev.berth.manager.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RecoveryGateTest {
    private static final long WAIT_MS = 200;

    private static CompletableFuture<Void> awaitInBackground(RecoveryGate gate, String namespace) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                gate.await("list tasks", namespace);
                done.complete(null);
            } catch (BerthException e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    @Test
    void await_open_returnsAtOnce() {
        RecoveryGate gate = new RecoveryGate();
        gate.await("list tasks", "default");
    }

    @Test
    void await_closed_waitsForTheListingThenOnlyForItsOwnNamespace() throws Exception {
        RecoveryGate gate = new RecoveryGate();
        gate.close();
        CompletableFuture<Void> recovering = awaitInBackground(gate, "a");
        CompletableFuture<Void> other = awaitInBackground(gate, "b");
        Thread.sleep(WAIT_MS);
        assertFalse(recovering.isDone(), "a call before the listing waits");
        assertFalse(other.isDone(), "a call before the listing waits");

        gate.listed(List.of("a"));
        other.get(5, TimeUnit.SECONDS); // no bundles in b: it goes on
        Thread.sleep(WAIT_MS);
        assertFalse(recovering.isDone(), "a call in a namespace being recovered waits");

        gate.recovered("a");
        recovering.get(5, TimeUnit.SECONDS);
        gate.await("list tasks", "a");
    }

    @Test
    void failed_failsTheWaitingCallsWithUnavailable_andLetsLaterOnesThrough() throws Exception {
        BerthException cause = failWhileWaiting(true);
        assertEquals(ErrorKind.UNAVAILABLE, cause.kind());
        assertTrue(cause.getMessage().startsWith("list tasks: recover tasks: list /run/berth"), cause.getMessage());
    }

    @Test
    void failed_beforeTheListing_failsTheWaitingCalls_andLetsLaterOnesThrough() throws Exception {
        assertEquals(ErrorKind.UNAVAILABLE, failWhileWaiting(false).kind());
    }

    /** A call in namespace a waits (after the listing, if {@code listed}), the recovery fails: the call's error. */
    private static BerthException failWhileWaiting(boolean listed) throws Exception {
        RecoveryGate gate = new RecoveryGate();
        gate.close();
        if (listed) {
            gate.listed(List.of("a"));
        }
        CompletableFuture<Void> waiting = awaitInBackground(gate, "a");
        Thread.sleep(WAIT_MS);
        assertFalse(waiting.isDone());
        gate.failed(new IOException("list /run/berth: permission denied"));
        ExecutionException e = assertThrows(ExecutionException.class, () -> waiting.get(5, TimeUnit.SECONDS));
        gate.await("list tasks", "a"); // later calls go on
        return (BerthException) e.getCause();
    }
}
