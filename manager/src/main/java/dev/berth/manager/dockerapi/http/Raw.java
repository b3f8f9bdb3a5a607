package dev.berth.manager.dockerapi.http;

/** The server's side of a hijacked connection: raw bytes, no chunking, no length. */
public interface Raw {

    /** Writes and flushes; false once the client is gone. */
    boolean write(byte[] bytes);

    /** Closes the connection once what was written is sent. */
    void close();
}
