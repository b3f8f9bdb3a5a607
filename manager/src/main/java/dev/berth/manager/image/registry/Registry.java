package dev.berth.manager.image.registry;

import dev.berth.manager.content.Descriptor;
import dev.berth.manager.image.reference.ImageReference;
import java.io.IOException;
import java.io.InputStream;

/**
 * A client of one image's registry, speaking the OCI distribution API (OCI distribution spec, "Pull", "Push"):
 * authentication, TLS or plain HTTP, mirrors and retries are behind it. Errors are
 * {@link dev.berth.api.errdefs.BerthException}s naming the operation and the object: NOT_FOUND (unknown manifest
 * or blob), UNAUTHENTICATED is reported as FAILED_PRECONDITION ("pull x: authentication required"), UNAVAILABLE
 * (registry unreachable after retries).
 */
public interface Registry {

    /**
     * Resolves {@code ref} (its tag or digest) to the descriptor of its manifest or index: media type, digest and
     * size as the registry reports them ({@code Docker-Content-Digest}, verified against the bytes when fetched).
     */
    Descriptor resolve(ImageReference ref) throws IOException;

    /**
     * Opens a manifest, index or blob of {@code ref}'s repository, from {@code offset} (a Range request, for
     * resuming an interrupted download). The caller verifies the digest while reading.
     */
    InputStream fetch(ImageReference ref, Descriptor desc, long offset) throws IOException;

    /** Whether the blob is already in {@code ref}'s repository (HEAD). */
    boolean exists(ImageReference ref, Descriptor blob) throws IOException;

    /**
     * Asks the registry to mount {@code blob} from repository {@code from} (same registry) into {@code ref}'s;
     * false when it would not (the caller then uploads).
     */
    boolean mount(ImageReference ref, Descriptor blob, String from) throws IOException;

    /** Uploads a blob (POST then PUT with its digest); {@code content} is read to its end. */
    void push(ImageReference ref, Descriptor blob, InputStream content) throws IOException;

    /** Uploads a manifest or index under {@code ref}'s tag (or its digest when it has no tag). */
    void pushManifest(ImageReference ref, Descriptor manifest, byte[] body) throws IOException;
}
