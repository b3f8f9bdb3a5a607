package dev.berth.manager.content;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.Map;

/**
 * One open ingest. Bytes are hashed as they are written; {@link #commit} verifies size and digest, fsyncs and
 * renames the data into the store atomically. Closing without commit keeps the ingest for a later resume (by the
 * same ref, from {@link #status()}'s offset); {@link ContentStore#abort} discards it.
 */
public interface ContentWriter extends AutoCloseable {

    /** Appends at the current offset. */
    void write(ByteBuffer data) throws IOException;

    /** Drops everything after {@code offset} (only 0 need be supported, as in containerd's local store). */
    void truncate(long offset) throws IOException;

    /** The digest of the bytes written so far. */
    Digest digest();

    IngestStatus status();

    /**
     * Opens a read-only channel on the ingest's bytes: those written so far, and the later ones once they are
     * written (a read at the end of the written bytes finds the end of the file until more is written). The
     * channel keeps the bytes it reads readable after a commit, close or abort; the caller closes it. This is how
     * a consumer follows a blob while it is being written (a pull's unpacker follows each layer's download).
     */
    SeekableByteChannel openReader() throws IOException;

    /**
     * Verifies and commits. {@code expectedSize} 0 and {@code expected} null skip those checks.
     *
     * @throws dev.berth.api.errdefs.BerthException kind ALREADY_EXISTS if the blob was already in the store (the ingest is removed),
     *                          FAILED_PRECONDITION on a size or digest mismatch (the ingest is removed)
     */
    ContentInfo commit(long expectedSize, Digest expected, Map<String, String> labels) throws IOException;

    @Override
    void close() throws IOException;
}
