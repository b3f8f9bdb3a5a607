package dev.berth.manager.event;

import java.util.List;

/** Opens subscriptions to the events published from now on. */
@FunctionalInterface
public interface Subscriber {
    /**
     * Subscribes to the events that any of {@code filters} selects (all of them when empty), in containerd's
     * filter syntax over the fields {@code topic}, {@code namespace} and {@code event.<field>}.
     *
     * @throws dev.berth.api.errdefs.BerthException INVALID_ARGUMENT for a filter that does not parse
     */
    Subscription subscribe(List<String> filters);
}
