package dev.berth.manager.dockerapi.http;

/** Receives what the client writes on a hijacked connection; called on the connection's event loop, in order. */
public interface RawInput {

    void data(byte[] bytes);

    /** The client half-closed its side (or the connection closed): no more data. Called once. */
    void closed();
}
