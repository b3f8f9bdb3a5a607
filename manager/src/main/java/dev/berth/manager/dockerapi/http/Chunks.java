package dev.berth.manager.dockerapi.http;

/** The body of a chunked response, each chunk flushed as written. */
public interface Chunks {

    /** Writes and flushes one chunk; false once the client is gone (the caller stops). */
    boolean write(byte[] chunk);

    /** Ends the body (the last, empty chunk); later writes are ignored. */
    void end();

    /** Ends the body by closing the connection, so the client cannot take a cut-short body for a whole one. */
    void abort();
}
