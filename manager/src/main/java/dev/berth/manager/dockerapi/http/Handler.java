package dev.berth.manager.dockerapi.http;

/** Answers one request; called on a virtual thread of its own, so it may block. */
@FunctionalInterface
public interface Handler {

    /** Answers {@code request} through {@code reply}; a request left unanswered gets a 500. */
    void handle(Request request, Reply reply);
}
