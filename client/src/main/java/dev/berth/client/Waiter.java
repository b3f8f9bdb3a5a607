package dev.berth.client;

import dev.berth.api.services.engine.v1.WaitContainerResponse;
import java.util.Iterator;

/**
 * A wait registered with berthd ({@link Containers#waitFor}): made before the container starts, it cannot miss
 * the exit, which is how docker's CLI orders {@code run}. {@link #await()} blocks until the condition is met.
 */
public final class Waiter {
    private final Iterator<WaitContainerResponse> responses;
    private WaitContainerResponse last;

    Waiter(Iterator<WaitContainerResponse> responses) {
        this.responses = responses;
        WaitContainerResponse first = Calls.call(responses::next);
        this.last = first.getWaiting() ? null : first;
    }

    /** The container's exit status once the condition is met; a wait that could not tell throws. */
    public int await() {
        while (last == null) {
            if (!Calls.call(responses::hasNext)) {
                throw new DaemonException(dev.berth.api.errdefs.ErrorKind.UNAVAILABLE,
                        "wait: the daemon ended the wait without a status", false, null);
            }
            WaitContainerResponse r = Calls.call(responses::next);
            if (!r.getWaiting()) {
                last = r;
            }
        }
        if (!last.getError().isEmpty()) {
            throw new DaemonException(dev.berth.api.errdefs.ErrorKind.UNKNOWN, last.getError(), false, null);
        }
        return last.getStatusCode();
    }
}
