package dev.berth.manager.dockerapi.http;

/** Answers one request; called on a virtual thread of its own, so it may block. */
@FunctionalInterface
public interface Handler {

    /** Answers {@code request} through {@code reply}; a request left unanswered gets a 500. */
    void handle(Request request, Reply reply);

    /**
     * Whether the body of a request for {@code method} and {@code path} (without the query) is handed over as it
     * arrives ({@link Request#bodyStream()}, read with backpressure, no size bound) instead of read whole first:
     * for uploads (archives, image loads, build contexts). Called on the event loop: decide from the arguments.
     */
    default boolean streamsBody(String method, String path) {
        return false;
    }
}
