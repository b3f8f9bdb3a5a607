package dev.berth.manager.event;

import com.google.protobuf.Message;

/** Publishes an event made here, stamped with the current time. */
@FunctionalInterface
public interface Publisher {
    /**
     * Publishes {@code event} under its full protobuf name; an {@link com.google.protobuf.Any} is taken as an
     * event already encoded and published as it is.
     *
     * @throws dev.berth.api.errdefs.BerthException INVALID_ARGUMENT for a bad namespace or topic
     */
    void publish(String namespace, String topic, Message event);
}
