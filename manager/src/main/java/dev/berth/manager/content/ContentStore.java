package dev.berth.manager.content;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A content-addressed blob store (containerd {@code content.Store}): provider, ingester, ingest manager and
 * manager in one interface. Not namespaced: the metadata layer gives each namespace its view. Absent objects are
 * {@link dev.berth.api.errdefs.BerthException}s of kind NOT_FOUND naming the operation and the digest or ref.
 */
public interface ContentStore {

    ContentInfo info(Digest digest) throws IOException;

    /** Replaces the labels named in {@code fieldpaths} ({@code labels.<key>}, or {@code labels} for all). */
    ContentInfo update(Digest digest, Map<String, String> labels, Set<String> fieldpaths) throws IOException;

    List<ContentInfo> list() throws IOException;

    void delete(Digest digest) throws IOException;

    /** Random access to a committed blob. */
    SeekableByteChannel read(Digest digest) throws IOException;

    /**
     * Opens or resumes the ingest {@code ref}. A ref already open in another writer is UNAVAILABLE (containerd:
     * "ref is locked"); if {@code expected} is already committed the call fails with ALREADY_EXISTS.
     */
    ContentWriter writer(String ref, long total, Digest expected) throws IOException;

    IngestStatus status(String ref) throws IOException;

    List<IngestStatus> listStatuses() throws IOException;

    void abort(String ref) throws IOException;
}
