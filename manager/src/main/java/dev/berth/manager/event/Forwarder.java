package dev.berth.manager.event;

/** Passes on an event made elsewhere (a shim), keeping its timestamp. */
@FunctionalInterface
public interface Forwarder {
    /**
     * @throws dev.berth.api.errdefs.BerthException INVALID_ARGUMENT for a bad namespace or topic
     */
    void forward(Envelope envelope);
}
